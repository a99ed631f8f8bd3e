package dev.jecho.cli;

import dev.jecho.Endpoint;
import dev.jecho.JechoServer;
import dev.jecho.junit.JechoServerExtension;
import dev.jecho.junit.Listener;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code jecho client} as scripts use it: pipe mode and -m, with the exit codes and one-line errors. */
class ClientCommandTest {

    @RegisterExtension
    static JechoServerExtension server = new JechoServerExtension().listeners(Endpoint.Kind.TCP, Endpoint.Kind.UDP);
    private static Endpoint tcp;
    private static Endpoint udp;

    @BeforeAll
    static void endpoints(@Listener(Endpoint.Kind.TCP) Endpoint tcpListener, @Listener(Endpoint.Kind.UDP) Endpoint udpListener) {
        tcp = tcpListener;
        udp = udpListener;
    }

    @Test
    void jsonPipeModeSkipsBlankLinesInsteadOfWaitingForAReplyThatNeverComes() throws Exception {
        try (JechoServer json = JechoServer.builder().tcp("127.0.0.1", 0).json(true).start()) {
            CliTestSupport.Result r = CliTestSupport.run("\"a\"\n \t\r\n\n[1]\n", "client", json.boundEndpoints().get(0).toString(),
                    "--json", "--timeout", "20s");
            assertThat(r.err()).isEmpty();
            assertThat(r.exitCode()).isZero();
            assertThat(r.out()).isEqualTo("\"A\"\n[1]\n");
        }
    }

    @Test
    void pipeModeSendsEveryLineAndPrintsEveryReplyInOrder() {
        StringBuilder in = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            in.append("line ").append(i).append(" ünï\n");
            expected.append("LINE ").append(i).append(" üNï\n");
        }
        in.append("\n"); // an empty line is no message on a stream, but the output keeps its line break
        expected.append("\n");
        CliTestSupport.Result r = CliTestSupport.run(in.toString(), "client", tcp.toString());
        assertThat(r.err()).isEmpty();
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo(expected.toString());
    }

    @Test
    void messagesFromTheCommandLineAreSentInsteadOfStandardInput() {
        CliTestSupport.Result r = CliTestSupport.run("not sent\n", "client", tcp.address(), "-m", "hello", "-m", "world");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("HELLO\nWORLD\n");
    }

    @Test
    void udpSendsEmptyLinesAsEmptyDatagrams() {
        CliTestSupport.Result r = CliTestSupport.run("hello\n\nworld\n", "client", udp.toString());
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("HELLO\n\nWORLD\n");
    }

    @Test
    void refusedConnectionIsOneLineAndExitCode3() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        CliTestSupport.Result r = CliTestSupport.run("", "client", "127.0.0.1:" + port, "-m", "x");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.errLines()).singleElement().asString()
                .startsWith("jecho: connection refused by tcp://127.0.0.1:" + port)
                .contains("is the server running?");
    }

    @Test
    void unknownHostIsOneLineAndExitCode3() {
        CliTestSupport.Result r = CliTestSupport.run("", "client", "no-such-host.invalid:8888", "-m", "x");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.errLines()).singleElement().asString().contains("unknown host 'no-such-host.invalid'");
    }

    @Test
    void udpReplyThatNeverComesIsReportedLostAndExitCode4() throws IOException {
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            CliTestSupport.Result r = CliTestSupport.run("", "client", "udp://127.0.0.1:" + silent.getLocalPort(),
                    "-m", "ping", "--timeout", "100ms", "--retries", "1");
            assertThat(r.exitCode()).isEqualTo(4);
            assertThat(r.errLines()).singleElement().asString().contains("after 2 attempts").contains("(lost)");
        }
    }

    @Test
    void serverThatNeverRepliesTimesOutWithExitCode4() throws IOException {
        try (ServerSocket mute = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            CliTestSupport.Result r = CliTestSupport.run("", "client", "127.0.0.1:" + mute.getLocalPort(),
                    "-m", "anyone there?", "--timeout", "300ms");
            assertThat(r.exitCode()).isEqualTo(4);
            assertThat(r.errLines()).singleElement().asString().contains("no complete reply").contains("within 300 ms");
        }
    }

    @Test
    void serverThatClosesIsOneLineAndExitCode3() throws Exception {
        try (ServerSocket rude = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread closer = new Thread(() -> {
                try (Socket s = rude.accept()) {
                    s.getInputStream().read();
                } catch (IOException ignored) {
                    // the test fails on the client side if this goes wrong
                }
            });
            closer.start();
            CliTestSupport.Result r = CliTestSupport.run("", "client", "127.0.0.1:" + rude.getLocalPort(), "-m", "hello");
            closer.join(5000);
            assertThat(r.exitCode()).isEqualTo(3);
            assertThat(r.errLines()).singleElement().asString().isEqualTo("jecho: the server closed the connection without answering"
                    + " (it may want --tls, or have refused this client: see its log)");
        }
    }

    @Test
    void badUrlIsAUsageErrorOnOneLine() {
        CliTestSupport.Result r = CliTestSupport.run("", "client", "ftp://x:1");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().contains("unknown scheme").contains("jecho client --help");
    }

    @Test
    void bindSendsFromTheGivenAddressAsNcDashSDoes() throws Exception {
        try (dev.jecho.testing.LogCapture log = dev.jecho.testing.LogCapture.start();
             JechoServer logged = JechoServer.builder().tcp("127.0.0.1", 0).start()) {
            CliTestSupport.Result r = CliTestSupport.run("", "client", logged.boundEndpoints().get(0).toString(),
                    "--bind", "127.0.0.43", "-m", "from elsewhere");
            assertThat(r.err()).isEmpty();
            assertThat(r.out()).isEqualTo("FROM ELSEWHERE\n");
            assertThat(log.lines()).anyMatch(line -> line.matches("tcp 127\\.0\\.0\\.43:\\d+ connected"));
        }
        try (DatagramSocket udpServer = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            java.util.concurrent.CompletableFuture<InetAddress> sender = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    udpServer.setSoTimeout(10_000);
                    java.net.DatagramPacket p = new java.net.DatagramPacket(new byte[64], 64);
                    udpServer.receive(p);
                    udpServer.send(new java.net.DatagramPacket(p.getData(), p.getLength(), p.getSocketAddress()));
                    return p.getAddress();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            CliTestSupport.Result r = CliTestSupport.run("", "client", "udp://127.0.0.1:" + udpServer.getLocalPort(),
                    "--bind", "127.0.0.44", "-m", "ping");
            assertThat(r.exitCode()).isZero();
            assertThat(r.out()).isEqualTo("ping\n");
            assertThat(sender.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(InetAddress.getByName("127.0.0.44"));
        }
    }

    @Test
    void bindWithAUnixSocketOrAnUnknownNameIsAUsageErrorOnOneLine() {
        CliTestSupport.Result unix = CliTestSupport.run("", "client", "unix:/tmp/none.sock", "--bind", "127.0.0.2", "-m", "x");
        assertThat(unix.exitCode()).isEqualTo(2);
        assertThat(unix.errLines()).singleElement().asString().contains("not Unix sockets");
        CliTestSupport.Result unknown = CliTestSupport.run("", "client", tcp.toString(), "--bind", "no-such-host.invalid", "-m", "x");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.errLines()).singleElement().asString().contains("unknown host 'no-such-host.invalid' for --bind");
    }

    /**
     * The command lines run without picocli (ClientCommand#plain: a URL and messages) get every option as
     * picocli's parse gives it, defaults and all, mixins too; any other command line is left to picocli.
     */
    @Test
    void plainCommandLinesRunWithoutPicocliWithEveryOptionAsPicocliWouldSetIt() throws Exception {
        Io io = new Io(java.io.InputStream.nullInputStream(), System.out, System.err, false);
        List<List<String>> plain = List.of(
                List.of("client"),
                List.of("client", "127.0.0.1:7"),
                List.of("client", "-m", "hi"),
                List.of("client", "-m", "hi", "udp://[::1]:9", "--message", "", "-m", "a b"),
                List.of("client", "unix:/tmp/x.sock", "-m", "x"));
        for (List<String> args : plain) {
            ClientCommand quick = ClientCommand.plain(io, args.toArray(String[]::new));
            assertThat(quick).as("%s", args).isNotNull();
            ClientCommand parsed = new ClientCommand(io);
            new CommandLine(parsed).parseArgs(args.subList(1, args.size()).toArray(String[]::new));
            assertSameOptions(quick, parsed, args.toString());
        }
        List<List<String>> forPicocli = List.of(
                List.of("server"),
                List.of("client", "--timeout", "2s", "-m", "hi"),
                List.of("client", "-mhi"),
                List.of("client", "--message=hi"),
                List.of("client", "-m"),
                List.of("client", "-m", "-v"),
                List.of("client", "-m", "@file"),
                List.of("client", "@file"),
                List.of("client", "--", "127.0.0.1:7"),
                List.of("client", "127.0.0.1:7", "127.0.0.1:8"),
                List.of("client", "tcp://127.0.0.1:port"),
                List.of("client", "--help"));
        for (List<String> args : forPicocli) {
            assertThat(ClientCommand.plain(io, args.toArray(String[]::new))).as("%s", args).isNull();
        }
    }

    /** Each field of {@code quick} equals the one of {@code parsed}; a mixin's, field by field. */
    private static void assertSameOptions(Object quick, Object parsed, String where) throws IllegalAccessException {
        for (Field field : quick.getClass().getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers())) {
                continue;
            }
            field.setAccessible(true);
            Object mine = field.get(quick);
            Object picocli = field.get(parsed);
            if (field.isAnnotationPresent(CommandLine.Mixin.class)) {
                assertThat(mine).as("%s: %s", where, field.getName()).isNotNull();
                assertSameOptions(mine, picocli, where + " " + field.getName() + ".");
            } else {
                assertThat(Objects.deepEquals(mine, picocli))
                        .as("%s %s: %s, picocli %s", where, field.getName(), mine, picocli).isTrue();
            }
        }
    }
}
