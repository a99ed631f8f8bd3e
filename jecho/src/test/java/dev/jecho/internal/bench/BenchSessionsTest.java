package dev.jecho.internal.bench;

import dev.jecho.BenchConfig;
import dev.jecho.BenchException;
import dev.jecho.BenchReport;
import dev.jecho.ClientTls;
import dev.jecho.Endpoint;
import dev.jecho.JechoServer;
import dev.jecho.LegacyDigest;
import dev.jecho.ServerConfig;
import dev.jecho.ServerTls;
import dev.jecho.Service;
import dev.jecho.internal.keys.SharedKey;
import dev.jecho.internal.tls.Fingerprint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The bench over jecho's sessions, on real loopback sockets against in-process servers: TLS, the
 * authenticated handshake with its session records, JSON Lines, tagged datagrams, and all of them
 * together. Every reply is checked, so zero errors means every reply was right. The servers exempt
 * loopback from their per-source limits and UDP rate limit, as a real load test's server would. Each run
 * is half a second or less.
 */
class BenchSessionsTest {

    private static final SharedKey KEY = new SharedKey("bench", filled(0x42));
    private static final SharedKey WRONG = new SharedKey("bench", filled(0x43));

    @TempDir
    static Path dir;

    private static ServerTls certificate;
    private static ClientTls pinned;
    /** TLS, raw bytes, upper. */
    private static JechoServer tls;
    /** A key, JSON Lines, upper: TCP, a Unix socket and UDP (tagged datagrams). */
    private static JechoServer authJson;
    /** TLS, a key, JSON Lines, upper. */
    private static JechoServer tlsAuthJson;
    /** TLS, a key, raw bytes, echo. */
    private static JechoServer tlsAuth;

    private static byte[] filled(int value) {
        byte[] b = new byte[32];
        Arrays.fill(b, (byte) value);
        return b;
    }

    private static ServerConfig.Builder server() {
        return JechoServer.builder().logConnections(false).limitExempt("127.0.0.0/8");
    }

    @BeforeAll
    static void start() throws Exception {
        certificate = ServerTls.selfSigned(List.of("localhost"), List.of(InetAddress.getByName("127.0.0.1")));
        pinned = ClientTls.pinned(Fingerprint.parse(certificate.fingerprint()));
        tls = server().tcp("127.0.0.1", 0).tls(certificate).start();
        authJson = server().tcp("127.0.0.1", 0).unix(dir.resolve("auth.sock")).udp("127.0.0.1", 0)
                .keys(KEY.toKeyring()).json(true).start();
        tlsAuthJson = server().tcp("127.0.0.1", 0).tls(certificate).keys(KEY.toKeyring()).json(true).start();
        tlsAuth = server().tcp("127.0.0.1", 0).tls(certificate).keys(KEY.toKeyring()).service(Service.ECHO).start();
    }

    @AfterAll
    static void stop() {
        for (JechoServer s : new JechoServer[] {tls, authJson, tlsAuthJson, tlsAuth}) {
            if (s != null) {
                s.close();
            }
        }
    }

    private static Endpoint endpoint(JechoServer server, Endpoint.Kind kind) {
        return server.boundEndpoints().stream().filter(e -> e.kind() == kind).findFirst().orElseThrow();
    }

    private static BenchConfig.Builder workload(Endpoint endpoint) {
        return BenchConfig.builder(endpoint).check(Service.UPPER).connections(2)
                .duration(Duration.ofMillis(400)).warmup(Duration.ZERO).connectTimeout(Duration.ofSeconds(5));
    }

    private static RunResult run(BenchConfig config) throws BenchException {
        return new LoadRun(config, null, null, new Cancellation()).run();
    }

    /** No errors, every connection open, and the counts agree: each timed reply is one request of the stated bytes. */
    private static void assertClean(RunResult r, int bytesPerReply) {
        assertThat(r.errorTotal()).as("errors %s", Arrays.toString(r.errors())).isZero();
        assertThat(r.requests()).isPositive().isEqualTo(r.uncorrected().getTotalCount());
        assertThat(r.bytes()).isEqualTo((long) bytesPerReply * r.requests());
    }

    @Test
    void rawRequestsOverTlsComeBackCheckedWithNoErrors() throws Exception {
        RunResult r = run(workload(endpoint(tls, Endpoint.Kind.TCP)).tls(pinned).pipeline(4).build());

        assertClean(r, 64);
        assertThat(r.label()).isEqualTo("tls");
        assertThat(r.connections().established()).isEqualTo(2);
        assertThat(r.connections().reopened()).isZero();
    }

    @Test
    void authenticatedJsonOverTcpAndAUnixSocketHasNoErrorsAndCountsTheNewlineOfEachReply() throws Exception {
        for (Endpoint.Kind kind : new Endpoint.Kind[] {Endpoint.Kind.TCP, Endpoint.Kind.UNIX}) {
            RunResult r = run(workload(endpoint(authJson, kind)).keys(KEY.toKeyring()).json(true).size(100).pipeline(8).build());

            assertClean(r, 101);
            assertThat(r.label()).isEqualTo(kind.scheme() + "+auth+json");
            assertThat(r.connections().established()).as("%s", kind).isEqualTo(2);
            assertThat(r.config().path("auth").asText()).isEqualTo("jecho");
            assertThat(r.config().path("messages").asText()).isEqualTo("json-lines");
        }
    }

    @Test
    void tlsAuthAndJsonTogetherWorkInRrConnectAndHoldModes() throws Exception {
        Endpoint tcp = endpoint(tlsAuthJson, Endpoint.Kind.TCP);
        BenchConfig.Builder all = workload(tcp).tls(pinned).keys(KEY.toKeyring()).json(true).size(16, 300);

        RunResult rr = run(all.pipeline(4).build());
        assertThat(rr.errorTotal()).isZero();
        assertThat(rr.requests()).isPositive();
        assertThat(rr.label()).isEqualTo("tls+auth+json");

        RunResult connect = run(all.pipeline(1).mode(BenchConfig.Mode.CONNECT).build());
        assertThat(connect.errorTotal()).isZero();
        assertThat(connect.requests()).isPositive();
        assertThat(connect.connections().reopened()).as("connections through TLS and the handshake")
                .isGreaterThanOrEqualTo(connect.requests());

        RunResult hold = run(all.mode(BenchConfig.Mode.HOLD).connections(5).duration(Duration.ofMillis(200)).build());
        assertThat(hold.errorTotal()).isZero();
        assertThat(hold.hold().opened()).isEqualTo(5);
        assertThat(hold.hold().alive()).isEqualTo(5);
    }

    /**
     * Bulk fills the socket buffers both ways, so an echo comes back a buffer's depth after its chunk went out:
     * over TLS and records in a cold JVM that can be most of a second, hence the warm-up before the window.
     */
    @Test
    void bulkStreamsThroughTlsAndSessionRecordsAndChecksEveryByte() throws Exception {
        RunResult r = run(workload(endpoint(tlsAuth, Endpoint.Kind.TCP)).tls(pinned).keys(KEY.toKeyring())
                .check(Service.ECHO).mode(BenchConfig.Mode.BULK).size(20_000).connections(1)
                .warmup(Duration.ofMillis(300)).duration(Duration.ofMillis(700)).build());

        assertThat(r.errorTotal()).isZero();
        assertThat(r.bytes()).as("bytes echoed inside the window").isGreaterThan(20_000);
        assertThat(r.label()).isEqualTo("tls+auth");
    }

    @Test
    void aJsonReplyThatDiffersFromTheCheckIsCountedAsAMismatchAndNothingElse() throws Exception {
        RunResult r = run(workload(endpoint(authJson, Endpoint.Kind.TCP)).keys(KEY.toKeyring()).json(true)
                .check(Service.ECHO).build()); // the server upper-cases: every reply differs

        assertThat(r.errors(ErrorClass.MISMATCH)).isPositive();
        assertThat(r.errors(ErrorClass.CONNECT)).isZero();
        assertThat(r.errors(ErrorClass.TIMEOUT)).isZero();
        assertThat(r.errors(ErrorClass.CLOSED)).isZero();
        assertThat(r.requests()).isZero();
    }

    @Test
    void aWrongKeyEndsTheRunWithTheServersRejectionAsItsReason() {
        BenchConfig wrong = workload(endpoint(authJson, Endpoint.Kind.TCP)).keys(WRONG.toKeyring()).json(true).build();

        assertThatThrownBy(() -> run(wrong)).isInstanceOf(BenchException.class)
                .hasMessage(endpoint(authJson, Endpoint.Kind.TCP) + " rejected our key 'bench'"
                        + " (check that both sides use the same key file)")
                .extracting(e -> ((BenchException) e).reason()).isEqualTo(BenchException.Reason.AUTH);
        BenchConfig wrongConnect = workload(endpoint(tlsAuthJson, Endpoint.Kind.TCP)).tls(pinned).keys(WRONG.toKeyring()).json(true)
                .mode(BenchConfig.Mode.CONNECT).build();
        assertThatThrownBy(() -> run(wrongConnect)).isInstanceOf(BenchException.class)
                .hasMessageContaining("rejected our key")
                .extracting(e -> ((BenchException) e).reason()).isEqualTo(BenchException.Reason.AUTH);
    }

    /** The server holds two connections at most and closes a third at once, before its handshake can finish. */
    @Test
    void aHandshakeThatFailsNowAndThenIsAConnectErrorAndTheSummaryNamesTheFirst() throws Exception {
        try (JechoServer two = server().tcp("127.0.0.1", 0).keys(KEY.toKeyring()).maxConnections(2).start()) {
            Endpoint tcp = endpoint(two, Endpoint.Kind.TCP);
            RunResult r = run(workload(tcp).keys(KEY.toKeyring()).connections(3).build());

            assertThat(r.connections().established()).isEqualTo(2);
            assertThat(r.connections().failed()).isEqualTo(1);
            assertThat(r.errors(ErrorClass.CONNECT)).isPositive();
            assertThat(r.errors(ErrorClass.MISMATCH) + r.errors(ErrorClass.TIMEOUT) + r.errors(ErrorClass.CLOSED)).isZero();
            assertThat(r.requests()).as("the two connections that got through").isPositive();
            assertThat(r.connections().firstFailure()).startsWith(tcp.toString()).contains("during the handshake");
            List<String> summary = TableReport.details(new Report("t", 0, List.of(r), false, List.of(), false));
            assertThat(summary).contains("first connect error: " + r.connections().firstFailure());
        }
    }

    @Test
    void aCertificateThatIsNotTrustedEndsTheRunWithTheClientsAdvice() throws Exception {
        BenchConfig untrusted = workload(endpoint(tls, Endpoint.Kind.TCP)).tls(ClientTls.pinned(new byte[32])).build();

        assertThatThrownBy(() -> run(untrusted)).isInstanceOf(BenchException.class)
                .hasMessageStartingWith("the certificate of " + endpoint(tls, Endpoint.Kind.TCP) + " is not trusted")
                .hasMessageContaining("--pin-sha256")
                .extracting(e -> ((BenchException) e).reason()).isEqualTo(BenchException.Reason.AUTH);
    }

    @Test
    void aKeyAgainstAServerWithoutOneTimesOutInSetupWithTheHint() {
        BenchConfig noSecret = BenchConfig.builder(endpoint(tls, Endpoint.Kind.TCP)).tls(pinned).keys(KEY.toKeyring())
                .duration(Duration.ofMillis(100)).warmup(Duration.ZERO).connectTimeout(Duration.ofSeconds(1)).build();

        assertThatThrownBy(() -> run(noSecret)).isInstanceOf(BenchException.class)
                .hasMessageStartingWith("no handshake from " + endpoint(tls, Endpoint.Kind.TCP) + " within 1 s")
                .hasMessageContaining("--secret-file")
                .extracting(e -> ((BenchException) e).reason()).isEqualTo(BenchException.Reason.UNREACHABLE);
    }

    @Test
    void taggedDatagramsWithTheKeyAreAllAnsweredAndUntaggedOnesGetNoReply() throws Exception {
        Endpoint udp = endpoint(authJson, Endpoint.Kind.UDP);

        RunResult tagged = run(workload(udp).keys(KEY.toKeyring()).pipeline(4).size(8, 1000).build());
        assertThat(tagged.errorTotal()).isZero();
        assertThat(tagged.label()).isEqualTo("udp+auth");
        assertThat(tagged.datagrams().tagged()).as("sequence tags inside the payload, too").isTrue();
        assertThat(tagged.datagrams().sent()).isPositive();
        assertThat(tagged.datagrams().lost()).isZero();
        assertThat(tagged.datagrams().duplicates()).isZero();
        assertThat(tagged.requests()).isPositive().isEqualTo(tagged.uncorrected().getTotalCount());

        RunResult untagged = run(workload(udp).duration(Duration.ofMillis(200)).timeout(Duration.ofMillis(50)).build());
        assertThat(untagged.datagrams().sent()).isPositive();
        assertThat(untagged.datagrams().answered()).as("the server drops what is not tagged").isZero();
        assertThat(untagged.requests()).isZero();
    }

    @Test
    void theArticlesHandshakeAndItsJsonValuesBackToBackRunWithoutErrors() throws Exception {
        try (JechoServer legacy = server().tcp("127.0.0.1", 0).keys(KEY.toKeyring()).legacyAuth(LegacyDigest.MD5)
                .service(Service.ECHO).start()) {
            RunResult r = run(workload(endpoint(legacy, Endpoint.Kind.TCP)).keys(KEY.toKeyring()).legacyAuth(LegacyDigest.MD5)
                    .check(Service.ECHO).size(30).build());

            assertClean(r, 30);
            assertThat(r.label()).isEqualTo("tcp+legacy");
            assertThat(r.config().path("auth").asText()).isEqualTo("legacy-md5");
            assertThat(r.config().path("messages").asText()).isEqualTo("json-values");
        }
    }

    @Test
    void sessionOptionsThatDoNotFitAreRefusedWithTheReason() {
        Endpoint udp = Endpoint.udp("127.0.0.1", 9);
        Endpoint tcp = Endpoint.tcp("127.0.0.1", 9);
        assertThatThrownBy(() -> BenchConfig.builder(udp).tls(pinned).build()).hasMessage("TLS is for TCP and Unix sockets, not UDP");
        assertThatThrownBy(() -> BenchConfig.builder(udp).json(true).build()).hasMessageStartingWith("JSON Lines are for TCP and Unix sockets");
        assertThatThrownBy(() -> BenchConfig.builder(tcp).json(true).mode(BenchConfig.Mode.BULK).build())
                .hasMessageStartingWith("bulk streams raw bytes");
        assertThatThrownBy(() -> BenchConfig.builder(tcp).json(true).size(1).build())
                .hasMessage("a JSON message is at least 2 bytes (\"\"), got size 1");
        assertThatThrownBy(() -> BenchConfig.builder(udp).keys(KEY.toKeyring()).size(65_500).build())
                .hasMessage("a tagged UDP datagram holds at most 65439 bytes of payload, got size 65500");
        assertThatThrownBy(() -> BenchConfig.builder(tcp).legacyAuth(LegacyDigest.MD5).build())
                .hasMessage("the article's handshake needs a key");
    }
}
