package dev.jecho.cli;

import sun.misc.Signal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ctrl-C and SIGTERM stop the server and the process exits 0. A JVM shutdown hook alone would exit
 * with 130 or 143, which service managers read as a failure, so the signals are handled directly. The
 * first signal starts the graceful stop; another one while it runs stops at once.
 */
final class Signals {

    private Signals() {
    }

    /**
     * @param stop    the graceful stop, run once on a thread of its own
     * @param stopNow the hard stop, run for every further signal while the graceful one is under way
     */
    static void onTermination(Runnable stop, Runnable stopNow) {
        AtomicInteger signals = new AtomicInteger();
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    boolean first = signals.getAndIncrement() == 0;
                    new Thread(first ? stop : stopNow, first ? "jecho-stop" : "jecho-stop-now").start();
                });
            } catch (IllegalArgumentException unsupported) {
                // not on this platform: the shutdown hook below still stops the server
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (signals.getAndIncrement() == 0) {
                stop.run();
            }
        }, "jecho-shutdown"));
    }
}
