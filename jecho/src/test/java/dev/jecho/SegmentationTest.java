package dev.jecho;

import dev.jecho.internal.keys.SharedKey;
import dev.jecho.internal.tls.Fingerprint;
import dev.jecho.testing.FaultProxy;
import dev.jecho.testing.Payloads;
import dev.jecho.testing.RawSession;
import dev.jecho.testing.StreamClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * However the network cuts the stream, every message comes back identical and in order: through a
 * fault-injecting proxy that forwards one byte per TCP segment, and all at once in one write. Raw mode
 * over TCP and Unix sockets, and every other stream mode over TCP: JSON Lines, authenticated JSON, TLS with
 * authenticated JSON, and the article's legacy wire (JSON values back to back).
 */
class SegmentationTest {

    static final SharedKey KEY = new SharedKey("seg", AuthenticatedJsonTest.bytes(0x77));
    private static ServerTls tls;

    @BeforeAll
    static void certificate() throws Exception {
        tls = ServerTls.selfSigned(List.of("localhost"), List.of(InetAddress.getByName("127.0.0.1")));
    }

    /** The stream modes besides raw bytes. */
    enum Mode { JSON, AUTHENTICATED_JSON, TLS_AUTHENTICATED_JSON, LEGACY }

    private static JechoServer start(Mode mode) throws Exception {
        var b = JechoServer.builder().tcp("127.0.0.1", 0).service(Service.UPPER).logConnections(false);
        switch (mode) {
            case JSON -> b.json(true);
            case AUTHENTICATED_JSON -> b.json(true).keys(KEY.toKeyring());
            case TLS_AUTHENTICATED_JSON -> b.json(true).keys(KEY.toKeyring()).tls(tls);
            case LEGACY -> b.keys(KEY.toKeyring()).legacyAuth(LegacyDigest.SHA256);
        }
        return b.start();
    }

    private static ClientConfig.Builder client(Mode mode, Endpoint endpoint) throws Exception {
        ClientConfig.Builder c = ClientConfig.builder(endpoint).json(true).timeout(Duration.ofSeconds(60));
        switch (mode) {
            case JSON -> { }
            case AUTHENTICATED_JSON -> c.keys(KEY.toKeyring());
            case TLS_AUTHENTICATED_JSON -> c.keys(KEY.toKeyring()).tls(ClientTls.pinned(Fingerprint.parse(tls.fingerprint())));
            case LEGACY -> c.keys(KEY.toKeyring()).legacyAuth(LegacyDigest.SHA256);
        }
        return c;
    }

    /** Message {@code i}: a short JSON string (the legacy wire has no separators, and a bare number would end with its segment). */
    private static String value(int i) {
        return "\"m" + i + "\"";
    }

    /**
     * How many messages go one byte per segment: 10,000, except with TLS, where every message and every reply
     * is its own TLS record holding its own session record, about 72 bytes on the wire each way for a 7-byte
     * message, each byte a segment that a TLS engine is called for: 2,000 there take about 1.5 s on a loaded
     * two-core machine; 10,000 would take seven or more.
     */
    static int oneByteMessages(Mode mode) {
        return mode == Mode.TLS_AUTHENTICATED_JSON ? 2_000 : 10_000;
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void everyModeGetsItsMessagesBackIdenticalAndInOrderThroughOneByteSegments(Mode mode) throws Exception {
        int count = oneByteMessages(mode);
        try (JechoServer server = start(mode);
             FaultProxy proxy = FaultProxy.start(server.boundEndpoints().get(0), FaultProxy.Faults.segments(1))) {
            long started = System.nanoTime();
            long payload = 0;
            String separator = mode == Mode.LEGACY ? "" : "\n";
            StringBuilder expected = new StringBuilder();
            List<byte[]> messages = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                byte[] message = (value(i) + separator).getBytes(StandardCharsets.US_ASCII);
                messages.add(message);
                payload += message.length;
                expected.append(value(i).toUpperCase(java.util.Locale.ROOT)).append(separator);
            }
            byte[] answer = expected.toString().getBytes(StandardCharsets.US_ASCII);
            switch (mode) {
                case JSON -> {
                    try (StreamClient c = StreamClient.connect(proxy.endpoint())) {
                        assertThat(roundTrip(c, concat(messages), answer.length)).isEqualTo(answer);
                    }
                }
                case LEGACY -> {
                    try (StreamClient c = StreamClient.connect(proxy.endpoint())) {
                        byte[] digest = LegacyDigest.SHA256.hmac(KEY.secret(), c.read(32));
                        c.write(digest);
                        assertThat(roundTrip(c, concat(messages), answer.length)).isEqualTo(answer);
                    }
                }
                case AUTHENTICATED_JSON -> {
                    try (StreamClient c = StreamClient.connect(proxy.endpoint())) {
                        RawSession session = RawSession.open(c, KEY);
                        List<byte[]> records = new ArrayList<>(count);
                        for (byte[] m : messages) {
                            records.add(session.seal(m)); // one record per message, as a client that flushes each
                        }
                        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                            try {
                                c.write(concat(records));
                            } catch (Exception e) {
                                throw new RuntimeException(e);
                            }
                        });
                        assertThat(session.receive(answer.length)).isEqualTo(answer);
                        writer.get(60, TimeUnit.SECONDS);
                    }
                }
                case TLS_AUTHENTICATED_JSON -> { // jecho's own client: every message its own TLS and session record
                    try (JechoClient client = client(mode, proxy.endpoint()).connect()) {
                        List<CompletableFuture<byte[]>> replies = new ArrayList<>(count);
                        for (int i = 0; i < count; i++) {
                            replies.add(client.send(value(i).getBytes(StandardCharsets.US_ASCII)));
                        }
                        for (int i = 0; i < count; i++) {
                            assertThat(new String(JechoClient.await(replies.get(i)), StandardCharsets.US_ASCII))
                                    .as("reply %d", i).isEqualTo(value(i).toUpperCase(java.util.Locale.ROOT));
                        }
                    }
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (proxy.segmentsWritten() < 2 * payload && System.nanoTime() < deadline) {
                Thread.sleep(1); // the proxy counts a segment just after writing it
            }
            assertThat(proxy.segmentsWritten()).as("at least one segment per payload byte each way").isGreaterThanOrEqualTo(2 * payload);
            System.out.printf("segmentation %s: %d messages, %d segments of 1 byte, %d ms%n", mode, count,
                    proxy.segmentsWritten(), (System.nanoTime() - started) / 1_000_000);
        }
    }

    private static byte[] concat(List<byte[]> parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void everyModeGetsAThousandMessagesWrittenAtOnceBackIdenticalAndInOrder(Mode mode) throws Exception {
        int count = 1_000;
        StringBuilder request = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        String separator = mode == Mode.LEGACY ? "" : "\n";
        for (int i = 0; i < count; i++) {
            request.append(value(i)).append(separator);
            expected.append(value(i).toUpperCase(java.util.Locale.ROOT)).append(separator);
        }
        byte[] all = request.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] answer = expected.toString().getBytes(StandardCharsets.US_ASCII);
        try (JechoServer server = start(mode)) {
            Endpoint endpoint = server.boundEndpoints().get(0);
            assertThat(oneWrite(mode, endpoint, all, answer.length)).as("direct").isEqualTo(answer);
            try (FaultProxy proxy = FaultProxy.start(endpoint, FaultProxy.Faults.none())) {
                assertThat(oneWrite(mode, proxy.endpoint(), all, answer.length)).as("through the proxy").isEqualTo(answer);
            }
        }
    }

    /** Authenticates as the mode wants, sends {@code messages} in one write and reads {@code replyLength} bytes of replies. */
    private static byte[] oneWrite(Mode mode, Endpoint endpoint, byte[] messages, int replyLength) throws Exception {
        switch (mode) {
            case JSON -> {
                try (StreamClient c = StreamClient.connect(endpoint)) {
                    return roundTrip(c, messages, replyLength);
                }
            }
            case AUTHENTICATED_JSON -> {
                try (StreamClient c = StreamClient.connect(endpoint)) {
                    RawSession session = RawSession.open(c, KEY);
                    session.send(messages); // records of 64 KiB at most, all in one write
                    return session.receive(replyLength);
                }
            }
            case TLS_AUTHENTICATED_JSON -> {
                try (SSLSocket socket = trustingTheServer().createSocket(endpoint.host(), endpoint.port()) instanceof SSLSocket s ? s : null) {
                    socket.startHandshake();
                    byte[] binding = java.security.MessageDigest.getInstance("SHA-256")
                            .digest(socket.getSession().getPeerCertificates()[0].getEncoded());
                    RawSession session = RawSession.open(RawSession.Wire.of(socket), KEY, binding);
                    session.send(messages);
                    return session.receive(replyLength);
                }
            }
            case LEGACY -> {
                try (StreamClient c = StreamClient.connect(endpoint)) {
                    byte[] nonce = c.read(32);
                    byte[] digest = LegacyDigest.SHA256.hmac(KEY.secret(), nonce);
                    byte[] both = java.util.Arrays.copyOf(digest, digest.length + messages.length);
                    System.arraycopy(messages, 0, both, digest.length, messages.length);
                    return roundTrip(c, both, replyLength); // the digest and every message: one write
                }
            }
            default -> throw new IllegalArgumentException(mode.name());
        }
    }

    private static javax.net.ssl.SSLSocketFactory trustingTheServer() throws Exception {
        java.security.KeyStore trust = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("jecho", tls.certificate());
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context.getSocketFactory();
    }

    /** Writes on one thread, reads on this one until {@code replyLength} bytes are back. */
    private static byte[] roundTrip(StreamClient client, byte[] request, int replyLength) throws Exception {
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                client.write(request);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        byte[] reply = client.read(replyLength);
        writer.get(60, TimeUnit.SECONDS);
        return reply;
    }

    @TempDir
    Path dir;

    private JechoServer start(String kind) throws Exception {
        var builder = JechoServer.builder().service(Service.UPPER).logConnections(false);
        return kind.equals("tcp") ? builder.tcp("127.0.0.1", 0).start() : builder.unix(dir.resolve("s.sock")).start();
    }

    private static byte[] messages(int count) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) {
            sb.append("message ").append(i).append(" of ").append(count).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Writes on one thread, reads on this one until every expected byte is back. */
    private static byte[] roundTrip(StreamClient client, byte[] request) throws Exception {
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                client.write(request);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        byte[] reply = client.read(request.length);
        writer.get(60, TimeUnit.SECONDS);
        return reply;
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix"})
    void tenThousandMessagesInOneByteSegmentsComeBackIdenticalAndInOrder(String kind) throws Exception {
        try (JechoServer server = start(kind);
             FaultProxy proxy = FaultProxy.start(server.boundEndpoints().get(0), FaultProxy.Faults.segments(1));
             StreamClient client = StreamClient.connect(proxy.endpoint())) {
            byte[] request = messages(10_000);
            assertThat(roundTrip(client, request)).isEqualTo(Payloads.upper(request));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (proxy.segmentsWritten() < 2L * request.length && System.nanoTime() < deadline) {
                Thread.sleep(1); // the proxy counts a segment just after writing it
            }
            assertThat(proxy.segmentsWritten()).as("one write per byte, both ways").isEqualTo(2L * request.length);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix"})
    void aThousandMessagesInOneWriteComeBackIdenticalAndInOrder(String kind) throws Exception {
        try (JechoServer server = start(kind)) {
            Endpoint endpoint = server.boundEndpoints().get(0);
            byte[] request = messages(1_000);
            try (StreamClient direct = StreamClient.connect(endpoint)) {
                assertThat(roundTrip(direct, request)).isEqualTo(Payloads.upper(request));
            }
            try (FaultProxy proxy = FaultProxy.start(endpoint, FaultProxy.Faults.none());
                 StreamClient client = StreamClient.connect(proxy.endpoint())) {
                assertThat(roundTrip(client, request)).isEqualTo(Payloads.upper(request));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp"})
    void aSlowLinkWithTinySegmentsAndPausesStillDeliversEverything(String kind) throws Exception {
        try (JechoServer server = start(kind);
             FaultProxy proxy = FaultProxy.start(server.boundEndpoints().get(0),
                     FaultProxy.Faults.segments(3).pausing(java.time.Duration.ofMillis(1)).towardsServerOnly());
             StreamClient client = StreamClient.connect(proxy.endpoint())) {
            byte[] request = messages(100);
            assertThat(roundTrip(client, request)).isEqualTo(Payloads.upper(request));
            assertThat(proxy.segmentsWritten()).isGreaterThanOrEqualTo((request.length + 2) / 3);
        }
    }
}
