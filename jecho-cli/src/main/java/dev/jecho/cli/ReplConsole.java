package dev.jecho.cli;

import org.jline.reader.LineReader;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.InfoCmp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The REPL's terminal and line editor. Neither needs the connection, so {@link #prepare} makes them on a
 * thread of their own while the client connects (and authenticates): on two cores the line editor's
 * start-up then overlaps the connect instead of following it, and the first prompt comes sooner.
 */
final class ReplConsole implements AutoCloseable {

    private final Terminal terminal;
    private final LineReader reader;

    private ReplConsole(Terminal terminal, LineReader reader) {
        this.terminal = terminal;
        this.reader = reader;
    }

    Terminal terminal() {
        return terminal;
    }

    LineReader reader() {
        return reader;
    }

    /** Starts making the console of the process's own terminal; {@link #await} it, or {@link #discard} it. */
    static CompletableFuture<ReplConsole> prepare(Path historyFile) {
        CompletableFuture<ReplConsole> console = new CompletableFuture<>();
        Thread maker = new Thread(() -> {
            try {
                Terminal terminal = systemTerminal();
                try {
                    console.complete(new ReplConsole(terminal, Repl.newReader(terminal, historyFile)));
                } catch (RuntimeException | Error e) {
                    terminal.close();
                    throw e;
                }
            } catch (Throwable e) {
                console.completeExceptionally(e);
            }
        }, "jecho-console");
        maker.setDaemon(true);
        maker.start();
        return console;
    }

    /** A console started before the command line was parsed ({@link #prepareEarly}), until the REPL takes it. */
    private static volatile CompletableFuture<ReplConsole> early;

    /**
     * Starts making the console before picocli parses the command line, for a command line that will run the
     * REPL ({@link Main#startsARepl}): the parsing then overlaps it too. The REPL {@link #takeEarly takes} it;
     * {@link #discardEarly} closes it if nothing did (the command line turned out to be a mistake).
     */
    static void prepareEarly(Path historyFile) {
        early = prepare(historyFile);
    }

    /** The console started early, or null; the caller owns it from now on. */
    static CompletableFuture<ReplConsole> takeEarly() {
        CompletableFuture<ReplConsole> console = early;
        early = null;
        return console;
    }

    /** Closes the console started early if no REPL took it. */
    static void discardEarly() {
        CompletableFuture<ReplConsole> console = takeEarly();
        if (console != null) {
            discard(console);
        }
    }

    /** The console once made, or the reason it could not be. */
    static ReplConsole await(CompletableFuture<ReplConsole> console) throws IOException {
        try {
            return console.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new UncheckedIOException(new IOException(cause));
        }
    }

    /** Closes, once made, a console that will not be used (the connection failed), restoring the terminal. */
    static void discard(CompletableFuture<ReplConsole> console) {
        try {
            await(console).close();
        } catch (IOException | RuntimeException ignored) {
            // it was never made, or closing it failed: either way there is nothing left to restore
        }
    }

    /**
     * The process's terminal, through JLine's native library, which asks the kernel directly. JLine's own
     * search among its providers tries the foreign-function interface first on Java 22 and later, whose
     * call stubs are generated at run time (measured: about twice the time of the native library, and
     * beyond what a start-up archive keeps), and starts {@code test -t} processes to ask whether each
     * stream is a terminal. That search remains the fallback.
     */
    static Terminal systemTerminal() throws IOException {
        useBundledCapabilities(System.getenv("TERM"));
        try {
            return TerminalBuilder.builder().system(true).provider("jni").dumb(false).build();
        } catch (IOException | IllegalStateException | LinkageError e) {
            return TerminalBuilder.builder().system(true).build();
        }
    }

    /**
     * JLine runs the system's {@code infocmp} for the terminal's capabilities, a process of its own at every
     * start; for the common terminal types (xterm, screen, rxvt and their 256-colour variants, ansi) it
     * carries a copy of its own, which is all a line editor uses. Other types still ask {@code infocmp}.
     */
    static void useBundledCapabilities(String type) {
        if (type != null && InfoCmp.getLoadedInfoCmp(type) == null) {
            String bundled = InfoCmp.getDefaultInfoCmp(type);
            if (bundled != null) {
                InfoCmp.setLoadedInfoCmp(type, bundled);
            }
        }
    }

    @Override
    public void close() throws IOException {
        terminal.close();
    }
}
