package dev.jecho.cli;

import sun.misc.Signal;

/**
 * Ctrl-C and SIGTERM stop the server and the process exits 0. A JVM shutdown hook alone would exit
 * with 130 or 143, which service managers read as a failure, so the signals are handled directly.
 */
final class Signals {

    private Signals() {
    }

    static void onTermination(Runnable stop) {
        Runnable once = new Runnable() {
            private boolean done;

            @Override
            public synchronized void run() {
                if (!done) {
                    done = true;
                    stop.run();
                }
            }
        };
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal.handle(new Signal(name), signal -> new Thread(once, "jecho-stop").start());
            } catch (IllegalArgumentException unsupported) {
                // not on this platform: the shutdown hook below still stops the server
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(once, "jecho-shutdown"));
    }
}
