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
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The training runs of jecho's start-up archives: one JVM per archive, doing what a command does on
 * start, so that the classes it loads (linked, on JDK 25 with their profiles) are in the archive the
 * launcher maps the next time that command starts. One archive per kind of command, because JDK 25
 * loads every class of its archive at start: {@code client -m} should not load the REPL's terminal
 * library, nor {@code --version} the server. Run by {@code packaging/train.sh} with the jar as the class
 * path, never by a user:
 * <pre>
 *   java -XX:AOTCacheOutput=client.aot -cp jecho.jar dev.jecho.cli.Training client tcp://...
 * </pre>
 * Kinds: {@code version} (--version alone), {@code jecho} (--version, --help, keygen, completion), {@code server} (a server on TCP, UDP and a
 * Unix socket, which plain sockets talk to), and {@code client}, {@code client-options}, {@code repl} and {@code bench}, which talk
 * to a server run apart (their URLs are the arguments). On loopback only, bounded, and failing (exit 1,
 * and why) if any step fails, so that no archive is made from a run that did not do its work.
 */
final class Training {

    private static final long STEP_SECONDS = 30;

    private Training() {
    }

    public static void main(String[] args) {
        try {
            String kind = args.length == 0 ? "" : args[0];
            List<String> urls = Arrays.asList(args).subList(Math.min(1, args.length), args.length);
            switch (kind) {
                case "version" -> expect(0, "--version");
                case "jecho" -> jecho();
                case "server" -> server();
                case "client" -> client(urls);
                case "client-options" -> clientOptions(urls);
                case "repl" -> repl(urls);
                case "bench" -> bench(urls);
                default -> throw new IllegalArgumentException("usage: Training version|jecho|server|client|client-options|repl|bench [URL...]");
            }
        } catch (Exception | AssertionError e) {
            System.err.println("jecho training run failed: " + e);
            System.exit(1);
        }
        System.exit(0);
    }

    private static void jecho() {
        expect(0, "--version");
        expect(0, "--help");
        expect(0, "help", "server");
        expect(2, "clint");
        expect(0, "keygen");
        expect(0, "completion");
    }

    /**
     * A URL and messages, which run without picocli's model (ClientCommand.plain). The URL: tcp:// only; an
     * archive trained on UDP and a Unix socket as well made {@code client -m} 17 ms slower on TCP and 19 ms on
     * a Unix socket, and UDP no faster (docs/benchmarks.md).
     */
    private static void client(List<String> urls) {
        need(urls, 1);
        expect(0, "client", urls.get(0), "-m", "hi");
        expectWithInput("hello\nworld\n", 0, "client", urls.get(0));
    }

    /**
     * Client command lines with other options, which picocli parses. URLs: tcp://, udp://, unix: (one each,
     * in that order).
     */
    private static void clientOptions(List<String> urls) {
        need(urls, 3);
        for (String url : urls) {
            expect(0, "client", url, "--timeout", "10s", "-m", "hi");
        }
        expectWithInput("hello\nworld\n", 0, "client", urls.get(0), "--timeout", "10s");
        expect(0, "client", "--help");
        expect(2, "client", "--timeout", "soon");
    }

    /**
     * The REPL: on a terminal (packaging/train.sh runs this one on a pseudo-terminal it types a line and
     * {@code exit} into), as {@code jecho client URL} runs it, system terminal and all; and in any case its
     * reader and line editing on an xterm fed one line and {@code exit}.
     */
    private static void repl(List<String> urls) throws Exception {
        need(urls, 1);
        Io onATerminal = Io.system();
        if (onATerminal.interactive()) {
            // As a user runs it, with no option (so without picocli), its history in a directory of its own
            Path home = Files.createTempDirectory("jecho-training");
            String userHome = System.getProperty("user.home");
            System.setProperty("user.home", home.toString());
            try {
                int got = Main.run(onATerminal, "client", urls.get(0));
                if (got != 0) {
                    throw new AssertionError("jecho client on a terminal: exit " + got);
                }
            } finally {
                System.setProperty("user.home", userHome);
                try (var left = Files.list(home)) {
                    for (Path file : (Iterable<Path>) left::iterator) {
                        Files.delete(file);
                    }
                }
                Files.delete(home);
            }
        }
        ByteArrayInputStream typed = new ByteArrayInputStream("hi\nexit\n".getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        try (JechoClient client = ClientConfig.builder(Endpoint.parse(urls.get(0))).connect();
             Terminal terminal = new ExternalTerminal("training", "xterm-256color", typed, screen, StandardCharsets.UTF_8)) {
            terminal.setSize(new Size(80, 24));
            new Repl(client, terminal, null).run();
        }
        if (!screen.toString(StandardCharsets.UTF_8).contains("HI")) {
            throw new AssertionError("the REPL showed no reply: " + screen.toString(StandardCharsets.UTF_8));
        }
    }

    /** A one-second benchmark at a modest fixed rate: the code it runs, not a measurement. */
    private static void bench(List<String> urls) {
        need(urls, 1);
        expect(0, "bench", urls.get(0), "--duration", "1s", "--warmup", "0s", "--connections", "2", "--rate", "2000");
    }

    /** A server on all three kinds of listener, answering plain sockets, then stopped as Ctrl-C stops it. */
    private static void server() throws Exception {
        Path dir = Files.createTempDirectory("jecho-training");
        Path socket = dir.resolve("jecho.sock");
        try {
            PipedInputStream banner = new PipedInputStream(64 * 1024);
            Io io = new Io(new ByteArrayInputStream(new byte[0]),
                    new PrintStream(new PipedOutputStream(banner), true, StandardCharsets.UTF_8),
                    new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8), false);
            CompletableFuture<Integer> server = CompletableFuture.supplyAsync(() -> Main.run(io,
                    "server", "--tcp", "127.0.0.1:0", "--udp", "127.0.0.1:0", "--unix", socket.toString()));
            List<Endpoint> listeners = listeners(banner, 3, server);
            for (int i = 0; i < 20; i++) {
                tcp(listeners.get(0));
                udp(listeners.get(1));
                unix(socket);
            }
            // TERM, not INT: a shell starts a background job with SIGINT ignored, which the JVM keeps, and
            // bin/jecho trains the archives in whatever process first runs a new build (`jecho server &`)
            Signal.raise(new Signal("TERM"));
            int code = server.get(STEP_SECONDS, TimeUnit.SECONDS);
            if (code != 0) {
                throw new AssertionError("the server exited with " + code);
            }
        } finally {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        }
    }

    private static void tcp(Endpoint endpoint) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), 10_000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
            expectReply(s.getInputStream(), "HELLO\n");
        }
    }

    private static void udp(Endpoint endpoint) throws IOException {
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(10_000);
            byte[] hi = "hi".getBytes(StandardCharsets.US_ASCII);
            s.send(new DatagramPacket(hi, hi.length, new InetSocketAddress(endpoint.host(), endpoint.port())));
            DatagramPacket reply = new DatagramPacket(new byte[16], 16);
            s.receive(reply);
        }
    }

    private static void unix(Path socket) throws IOException {
        try (SocketChannel s = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.connect(UnixDomainSocketAddress.of(socket));
            s.write(ByteBuffer.wrap("hello\n".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer reply = ByteBuffer.allocate(6);
            while (reply.hasRemaining() && s.read(reply) >= 0) {
                // a blocking channel: each read waits for bytes
            }
        }
    }

    private static void expectReply(InputStream in, String reply) throws IOException {
        byte[] got = in.readNBytes(reply.length());
        if (!reply.equals(new String(got, StandardCharsets.US_ASCII))) {
            throw new AssertionError("expected " + reply.strip() + ", got " + new String(got, StandardCharsets.US_ASCII));
        }
    }

    /** Reads the server's banner until it has named {@code count} listeners; they are, in order. */
    private static List<Endpoint> listeners(PipedInputStream out, int count, CompletableFuture<Integer> server) throws Exception {
        CompletableFuture<List<Endpoint>> read = CompletableFuture.supplyAsync(() -> {
            List<Endpoint> found = new ArrayList<>();
            try {
                BufferedReader lines = new BufferedReader(new InputStreamReader(out, StandardCharsets.UTF_8));
                String line;
                while (found.size() < count && (line = lines.readLine()) != null) {
                    if (line.startsWith("listening on ")) {
                        found.add(Endpoint.parse(line.substring("listening on ".length())));
                    }
                }
                Thread drain = new Thread(() -> { // the rest of the banner, so that the server never blocks on the pipe
                    try {
                        out.transferTo(OutputStream.nullOutputStream());
                    } catch (IOException closed) {
                        // the server's side is gone
                    }
                }, "jecho-training-banner");
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

    private static void need(List<String> urls, int count) {
        if (urls.size() < count) {
            throw new IllegalArgumentException("this training run needs " + count + " server URL(s), got " + urls);
        }
    }

    private static void expect(int code, String... args) {
        expectWithInput("", code, args);
    }

    private static void expectWithInput(String input, int code, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Io io = new Io(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), false);
        int got = Main.run(io, args);
        if (got != code) {
            throw new AssertionError("jecho " + String.join(" ", args) + ": exit " + got + " (expected " + code + "): "
                    + err.toString(StandardCharsets.UTF_8).strip());
        }
    }
}
