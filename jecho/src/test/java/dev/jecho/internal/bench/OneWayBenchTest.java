package dev.jecho.internal.bench;

import dev.jecho.BenchConfig;
import dev.jecho.BenchException;
import dev.jecho.ClientTls;
import dev.jecho.Endpoint;
import dev.jecho.JechoServer;
import dev.jecho.ServerConfig;
import dev.jecho.ServerTls;
import dev.jecho.Service;
import dev.jecho.internal.keys.SharedKey;
import dev.jecho.internal.server.Cidr;
import dev.jecho.internal.tls.Fingerprint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code --mode upload} and {@code --mode download}: one-way throughput to a discard server and from a
 * chargen server (jecho's own, in process), over TCP, a Unix socket and TLS with the handshake; what they do
 * against a server of another kind; and the workloads they refuse. Each run is a few hundred milliseconds.
 */
class OneWayBenchTest {

    @TempDir
    static Path dir;

    private static JechoServer discard;
    private static JechoServer chargen;
    private static JechoServer echo;
    private static JechoServer secureChargen;
    private static ClientTls pinned;
    private static final SharedKey KEY = new SharedKey("bench", filled(0x42));

    private static byte[] filled(int value) {
        byte[] b = new byte[32];
        Arrays.fill(b, (byte) value);
        return b;
    }

    private static ServerConfig.Builder server(Service service) {
        return JechoServer.builder().service(service).logConnections(false).limitExempt("127.0.0.0/8");
    }

    @BeforeAll
    static void start() throws Exception {
        discard = server(Service.DISCARD).tcp("127.0.0.1", 0).unix(dir.resolve("discard.sock")).start();
        chargen = server(Service.CHARGEN).tcp("127.0.0.1", 0).unix(dir.resolve("chargen.sock")).start();
        echo = server(Service.ECHO).tcp("127.0.0.1", 0).start();
        ServerTls certificate = ServerTls.selfSigned(List.of("localhost"), List.of(InetAddress.getByName("127.0.0.1")));
        pinned = ClientTls.pinned(Fingerprint.parse(certificate.fingerprint()));
        secureChargen = server(Service.CHARGEN).tcp("127.0.0.1", 0).tls(certificate).keys(KEY.toKeyring()).start();
    }

    @AfterAll
    static void stop() {
        for (JechoServer s : new JechoServer[] {discard, chargen, echo, secureChargen}) {
            if (s != null) {
                s.close();
            }
        }
    }

    private static BenchConfig.Builder workload(Endpoint endpoint, BenchConfig.Mode mode) {
        return BenchConfig.builder(endpoint).mode(mode).connections(2).size(16 * 1024)
                .duration(Duration.ofMillis(400)).warmup(Duration.ofMillis(100)).connectTimeout(Duration.ofSeconds(5));
    }

    private static RunResult run(BenchConfig config) throws BenchException {
        return new LoadRun(config, null, null, new Cancellation()).run();
    }

    private static List<String> details(RunResult r) {
        return TableReport.details(new Report("test", 0, List.of(r), false, List.of(), false));
    }

    private static String table(RunResult r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TableReport.print(new Report("jecho bench: " + r.description(), 0, List.of(r), false, List.of(), false),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void uploadToDiscardCountsTheBytesTheServerTookOverTcpAndAUnixSocket() throws Exception {
        for (Endpoint at : discard.boundEndpoints()) {
            RunResult r = run(workload(at, BenchConfig.Mode.UPLOAD).build());

            assertThat(r.errorTotal()).as("%s: errors %s", at, Arrays.toString(r.errors())).isZero();
            assertThat(r.bytes()).as("%s: bytes taken in the window", at).isGreaterThan(16 * 1024);
            // A chunk the server finished taking in the window counts, but only its bytes in the window do: one
            // chunk per connection may straddle the window's start (2 connections).
            assertThat(r.requests()).as("chunks taken").isPositive().isLessThanOrEqualTo(r.bytes() / (16 * 1024) + 2);
            assertThat(r.config().path("check").asText()).as("nothing back, as discard gives").isEqualTo("discard");
            assertThat(r.config().path("check_detected").asBoolean()).as("no reply decided it").isFalse();
            assertThat(r.description()).startsWith("upload, 2 connections, 16384 B, check discard, 400ms");
        }
        RunResult r = run(workload(discard.boundEndpoints().get(0), BenchConfig.Mode.UPLOAD).build());
        assertThat(table(r)).containsPattern("(?m)^ +chunks +chunks/s +MB/s +p50 .*errors$").contains("errors: none");
    }

    @Test
    void uploadToAServerThatAnswersIsAMismatchUnlessRepliesAreNotCheckedThenTheyAreDrained() throws Exception {
        Endpoint tcp = echo.boundEndpoints().get(0);
        RunResult checked = run(workload(tcp, BenchConfig.Mode.UPLOAD).build());
        assertThat(checked.errors(ErrorClass.MISMATCH)).isPositive();
        assertThat(details(checked)).contains("mismatch: the server sent bytes back, and upload is for a server that sends"
                + " nothing (a discard server, RFC 863); --check none reads and drops them");

        RunResult drained = run(workload(tcp, BenchConfig.Mode.UPLOAD).checkReplies(false).build());
        assertThat(drained.errorTotal()).as("errors %s", Arrays.toString(drained.errors())).isZero();
        assertThat(drained.bytes()).as("the echoes were read, so the upload never stalled").isGreaterThan(16 * 1024);
        assertThat(drained.config().path("check").asText()).isEqualTo("none");
    }

    @Test
    void downloadFromChargenDetectsItAndChecksEveryByteOverTcpAUnixSocketAndTlsWithTheHandshake() throws Exception {
        for (Endpoint at : chargen.boundEndpoints()) {
            RunResult r = run(workload(at, BenchConfig.Mode.DOWNLOAD).build());

            assertThat(r.errorTotal()).as("%s: errors %s", at, Arrays.toString(r.errors())).isZero();
            assertThat(r.bytes()).as("%s: bytes read in the window", at).isGreaterThan(74 * 100);
            assertThat(r.requests()).as("reads").isPositive();
            assertThat(r.checkPhrase()).isEqualTo("chargen (detected)");
            assertThat(r.description()).startsWith("download, 2 connections, check chargen (detected), 400ms");
        }
        RunResult secure = run(workload(secureChargen.boundEndpoints().get(0), BenchConfig.Mode.DOWNLOAD)
                .tls(pinned).keys(KEY.toKeyring()).check(Service.CHARGEN).build());
        assertThat(secure.errorTotal()).as("errors %s", Arrays.toString(secure.errors())).isZero();
        assertThat(secure.bytes()).as("from the first byte after the handshake").isGreaterThan(74 * 100);
        assertThat(secure.label()).isEqualTo("tls+auth");
        assertThat(table(secure)).containsPattern("(?m)^ +reads +reads/s +MB/s ");
    }

    /** Output of its own (every byte 'x'): another chargen, as a server of some other kind would be. */
    private static final Service NOT_CHARGEN = new Service() {
        @Override
        public String name() {
            return "xs";
        }

        @Override
        public byte[] reply(byte[] message) {
            return null;
        }

        @Override
        public boolean replies() {
            return false;
        }

        @Override
        public Output output() {
            return (offset, into) -> {
                while (into.hasRemaining()) {
                    into.put((byte) 'x');
                }
            };
        }
    };

    @Test
    void downloadFromAServerSendingSomethingElseIsAMismatchAndFromOneSendingNothingATimeout() throws Exception {
        try (JechoServer other = server(NOT_CHARGEN).tcp("127.0.0.1", 0).start()) {
            RunResult r = run(workload(other.boundEndpoints().get(0), BenchConfig.Mode.DOWNLOAD).build());
            assertThat(r.errors(ErrorClass.MISMATCH)).isPositive();
            assertThat(r.bytes()).isZero();
            assertThat(details(r)).contains("mismatch: what the server sent is the output of no registered service (chargen);"
                    + " --check none counts any bytes");

            RunResult any = run(workload(other.boundEndpoints().get(0), BenchConfig.Mode.DOWNLOAD).checkReplies(false).build());
            assertThat(any.errorTotal()).isZero();
            assertThat(any.bytes()).isPositive();
        }
        RunResult silent = run(workload(echo.boundEndpoints().get(0), BenchConfig.Mode.DOWNLOAD)
                .timeout(Duration.ofMillis(100)).build());
        assertThat(silent.errors(ErrorClass.TIMEOUT)).isPositive();
        assertThat(details(silent)).contains("timeout: nothing came: download reads what a server sends without being asked"
                + " (a chargen server, RFC 864)");
    }

    @Test
    void requestsToDiscardTimeOutAndTheSummarySaysWhichModeMeasuresIt() throws Exception {
        RunResult r = run(workload(discard.boundEndpoints().get(0), BenchConfig.Mode.RR).size(64).timeout(Duration.ofMillis(100)).build());
        assertThat(r.errors(ErrorClass.TIMEOUT)).isPositive();
        assertThat(details(r)).contains("timeout: no reply came: a server that answers nothing (discard) is measured with --mode upload");
    }

    @Test
    void workloadsThatCannotBeMeasuredOrCheckedAreRefusedWithTheReason() {
        Endpoint tcp = Endpoint.tcp("127.0.0.1", 9);
        Endpoint udp = Endpoint.udp("127.0.0.1", 9);
        assertThatThrownBy(() -> workload(udp, BenchConfig.Mode.UPLOAD).build())
                .hasMessage("mode upload needs a stream: use tcp:// or unix: (UDP runs rr)");
        assertThatThrownBy(() -> workload(tcp, BenchConfig.Mode.UPLOAD).check(Service.ECHO).build())
                .hasMessage("upload measures a server that sends nothing back, and echo does (--check none reads and drops what comes back)");
        assertThatThrownBy(() -> workload(tcp, BenchConfig.Mode.DOWNLOAD).check(Service.DISCARD).build())
                .hasMessage("download reads what a server sends without being asked, and discard sends nothing unasked (a chargen server does)");
        assertThatThrownBy(() -> workload(tcp, BenchConfig.Mode.RR).check(Service.DISCARD).build())
                .hasMessage("discard answers nothing: measure it with --mode upload");
        assertThatThrownBy(() -> workload(tcp, BenchConfig.Mode.BULK).check(Service.CHARGEN).build())
                .hasMessage("chargen sends without being asked: measure it with --mode download");
        Service reverse = Service.lines("reverse", line -> new StringBuilder(line).reverse().toString());
        assertThatThrownBy(() -> workload(tcp, BenchConfig.Mode.RR).check(reverse).build())
                .hasMessage("the bench cannot check reverse: it answers whole lines, and the bench sends raw chunks"
                        + " (try it with jecho client --expect reverse)");
        assertThatThrownBy(() -> workload(tcp, BenchConfig.Mode.UPLOAD).size(16, 64).build())
                .hasMessage("upload writes chunks of one size: give --size N, not a range");
        assertThatThrownBy(() -> workload(tcp, BenchConfig.Mode.DOWNLOAD).rate(100).build())
                .hasMessage("--rate applies to rr and connect, not download");
        assertThatThrownBy(() -> workload(tcp, BenchConfig.Mode.UPLOAD).json(true).build())
                .hasMessage("upload streams raw bytes; JSON messages run with rr, connect or hold");
        assertThat(workload(tcp, BenchConfig.Mode.UPLOAD).checkReplies(false).build().describe())
                .isEqualTo("upload, 2 connections, 16384 B, check none, 400ms (+100ms warm-up)");
    }
}
