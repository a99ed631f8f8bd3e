package dev.jecho.cli;

import dev.jecho.ClientConfig;
import dev.jecho.Endpoint;
import dev.jecho.JechoClient;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.ExternalTerminal;
import sun.misc.Signal;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The training run of jecho's start-up archive (JDK 25's AOT cache, AppCDS on older JDKs): one JVM that
 * does what the commands do on start, so that the classes they load, linked, are in the archive the
 * launcher maps at the next start. Run by {@code packaging/build.sh} and {@code bin/jecho} with the jar as
 * the class path, never by a user: {@code java -XX:AOTCacheOutput=jecho.aot -cp jecho.jar dev.jecho.cli.Training}.
 *
 * <p>On loopback only, on ports the kernel picks, and bounded: a server on TCP, UDP and a Unix socket;
 * clients against each, from {@code -m} and from a pipe; a one-second benchmark at a fixed rate; the
 * REPL on an emulated terminal; help and version. It fails (exit 1, and why) if any step fails, so that a
 * broken archive is never built from a run that did not do its work.
 */
final class Training {

    private static final long STEP_SECONDS = 30;

    private Training() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("jecho-training");
        Path socket = dir.resolve("jecho.sock");
        try {
            train(socket);
        } catch (Exception | AssertionError e) {
            System.err.println("jecho training run failed: " + e);
            System.exit(1);
        } finally {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        }
        System.exit(0);
    }

    private static void train(Path socket) throws Exception {
        expect(0, "--version");
        expect(0, "--help");
        expect(0, "server", "--help");
        expect(0, "client", "--help");
        expect(2, "client", "--timeout", "soon");

        PipedInputStream serverOut = new PipedInputStream(64 * 1024);
        Io serverIo = new Io(new ByteArrayInputStream(new byte[0]),
                new PrintStream(new PipedOutputStream(serverOut), true, StandardCharsets.UTF_8), quiet(), false);
        CompletableFuture<Integer> server = CompletableFuture.supplyAsync(() -> Main.execute(serverIo,
                "server", "--tcp", "127.0.0.1:0", "--udp", "127.0.0.1:0", "--unix", socket.toString()));
        List<String> listeners = listeners(serverOut, 3, server);

        String tcp = listeners.get(0);
        String udp = listeners.get(1);
        String unix = listeners.get(2);
        expect(0, "client", tcp, "-m", "hi");
        expect(0, "client", udp, "-m", "hi");
        expect(0, "client", unix, "-m", "hi");
        expectWithInput("hello\nworld\n", 0, "client", tcp);
        expect(0, "bench", tcp, "--duration", "1s", "--warmup", "0s", "--connections", "2", "--rate", "2000");
        repl(Endpoint.parse(tcp));

        // Stops the server as Ctrl-C does: through its signal handler, and the graceful stop.
        Signal.raise(new Signal("INT"));
        int code = server.get(STEP_SECONDS, TimeUnit.SECONDS);
        if (code != 0) {
            throw new AssertionError("the server exited with " + code);
        }
    }

    /**
     * The REPL's reader and line editing on an xterm fed one line and {@code exit} (not the system terminal
     * itself, which a build has none of). Its reply must be on the screen.
     */
    private static void repl(Endpoint endpoint) throws Exception {
        ByteArrayInputStream typed = new ByteArrayInputStream("hi\nexit\n".getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        try (JechoClient client = ClientConfig.builder(endpoint).connect();
             Terminal terminal = new ExternalTerminal("training", "xterm-256color", typed, screen, StandardCharsets.UTF_8)) {
            terminal.setSize(new Size(80, 24));
            new Repl(client, terminal, null).run();
        }
        if (!screen.toString(StandardCharsets.UTF_8).contains("HI")) {
            throw new AssertionError("the REPL showed no reply: " + screen.toString(StandardCharsets.UTF_8));
        }
    }

    /** Reads the server's banner until it has named {@code count} listeners; their URLs, in order. */
    private static List<String> listeners(PipedInputStream out, int count, CompletableFuture<Integer> server) throws Exception {
        CompletableFuture<List<String>> read = CompletableFuture.supplyAsync(() -> {
            List<String> found = new ArrayList<>();
            try {
                BufferedReader lines = new BufferedReader(new InputStreamReader(out, StandardCharsets.UTF_8));
                String line;
                while (found.size() < count && (line = lines.readLine()) != null) {
                    if (line.startsWith("listening on ")) {
                        found.add(line.substring("listening on ".length()));
                    }
                }
                // keep draining, so that the server never blocks on a full pipe
                Thread drain = new Thread(() -> {
                    try {
                        out.transferTo(OutputStream.nullOutputStream());
                    } catch (IOException ignored) {
                        // the server's side closed
                    }
                }, "jecho-training-drain");
                drain.setDaemon(true);
                drain.start();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return found;
        });
        CompletableFuture.anyOf(read, server).get(STEP_SECONDS, TimeUnit.SECONDS);
        if (!read.isDone() || read.get().size() < count) {
            throw new AssertionError("the server did not start: " + (server.isDone() ? "exit " + server.get() : "no banner"));
        }
        return read.get();
    }

    private static void expect(int code, String... args) {
        expectWithInput("", code, args);
    }

    private static void expectWithInput(String input, int code, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Io io = new Io(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), false);
        int got = Main.execute(io, args);
        if (got != code) {
            throw new AssertionError("jecho " + String.join(" ", args) + ": exit " + got + " (expected " + code + "): "
                    + err.toString(StandardCharsets.UTF_8).strip());
        }
    }

    private static PrintStream quiet() {
        return new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    }
}
