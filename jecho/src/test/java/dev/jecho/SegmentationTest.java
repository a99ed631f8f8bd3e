package dev.jecho;

import dev.jecho.internal.keys.SharedKey;
import dev.jecho.internal.tls.Fingerprint;
import dev.jecho.testing.FaultProxy;
import dev.jecho.testing.ListenerKind;
import dev.jecho.testing.Payloads;
import dev.jecho.testing.Session;
import dev.jecho.testing.StreamClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * However the network cuts the stream, every message comes back identical and in order: through a
 * fault-injecting proxy that forwards one byte per TCP segment, and all at once in one write. Over every listener
 * kind of the scenario matrix (raw bytes, JSON Lines, authenticated JSON; TCP and Unix sockets, with and without
 * TLS), over the article's legacy wire (JSON values back to back), and with jecho's own client over TLS and the
 * handshake.
 */
class SegmentationTest {

    static final SharedKey KEY = ListenerKind.KEY;

    @TempDir
    Path dir;

    /**
     * How many messages go one byte per segment: 10,000, except with TLS or session records, where every message
     * and every reply is its own record (a TLS record, a session record, or both), up to 72 bytes on the wire each
     * way for a 7-byte message, each byte a segment that a TLS engine or a record decoder is called for: 2,000
     * there take 1 to 2.5 s on a loaded two-core machine; 10,000 took five (session records) to seven or more (TLS).
     */
    static int oneByteMessages(ListenerKind kind) {
        return kind.tls() || kind.framing() == ListenerKind.Framing.AUTHENTICATED ? 2_000 : 10_000;
    }

    /** Message {@code i} of a kind: a line of text (raw), or a short JSON string on its line. */
    private static byte[] message(ListenerKind kind, int i) {
        return kind.json() ? ("\"m" + i + "\"\n").getBytes(StandardCharsets.US_ASCII)
                : ("message " + i + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static JechoServer start(ListenerKind kind, Path dir) throws Exception {
        return kind.start(dir, options -> options.service(Service.UPPER).logConnections(false));
    }

    @ParameterizedTest
    @MethodSource("dev.jecho.testing.ListenerKind#all")
    void messagesComeBackIdenticalAndInOrderThroughOneByteSegments(ListenerKind kind) throws Exception {
        int count = oneByteMessages(kind);
        try (JechoServer server = start(kind, dir);
             FaultProxy proxy = FaultProxy.start(server.boundEndpoints().get(0), FaultProxy.Faults.segments(1));
             Session client = kind.connect(proxy.endpoint())) {
            long started = System.nanoTime();
            List<byte[]> messages = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                messages.add(message(kind, i));
            }
            byte[] all = concat(messages);
            byte[] answer = Payloads.upper(all);
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    if (client.records() != null) { // one record per message, as a client that flushes each
                        List<byte[]> records = new ArrayList<>(count);
                        for (byte[] m : messages) {
                            records.add(client.records().seal(m));
                        }
                        writeAs(client.socket(), records);
                    } else {
                        writeAs(client.socket(), messages);
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            assertThat(client.receive(answer.length)).isEqualTo(answer);
            writer.get(60, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (proxy.segmentsWritten() < 2L * all.length && System.nanoTime() < deadline) {
                Thread.sleep(1); // the proxy counts a segment just after writing it
            }
            if (kind.plainRaw()) {
                assertThat(proxy.segmentsWritten()).as("one write per byte, both ways").isEqualTo(2L * all.length);
            } else {
                assertThat(proxy.segmentsWritten()).as("at least one segment per payload byte each way")
                        .isGreaterThanOrEqualTo(2L * all.length);
            }
            System.out.printf("segmentation %s: %d messages, %d segments of 1 byte, %d ms%n", kind, count,
                    proxy.segmentsWritten(), (System.nanoTime() - started) / 1_000_000);
        }
    }

    /**
     * Writes the parts: inside TLS each in a write of its own (so each is a TLS record of its own, as a client that
     * flushes every message); without, all in one write.
     */
    private static void writeAs(StreamClient socket, List<byte[]> parts) throws Exception {
        if (socket.tls()) {
            for (byte[] part : parts) {
                socket.write(part);
            }
        } else {
            socket.write(concat(parts));
        }
    }

    private static byte[] concat(List<byte[]> parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }

    @ParameterizedTest
    @MethodSource("dev.jecho.testing.ListenerKind#all")
    void aThousandMessagesWrittenAtOnceComeBackIdenticalAndInOrder(ListenerKind kind) throws Exception {
        List<byte[]> messages = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            messages.add(message(kind, i));
        }
        byte[] all = concat(messages);
        byte[] answer = Payloads.upper(all);
        try (JechoServer server = start(kind, dir)) {
            Endpoint endpoint = server.boundEndpoints().get(0);
            assertThat(oneWrite(kind, endpoint, all, answer.length)).as("direct").isEqualTo(answer);
            try (FaultProxy proxy = FaultProxy.start(endpoint, FaultProxy.Faults.none())) {
                assertThat(oneWrite(kind, proxy.endpoint(), all, answer.length)).as("through the proxy").isEqualTo(answer);
            }
        }
    }

    /** Sends {@code messages} in one write (records of 64 KiB at most, for an authenticated kind) and reads the replies. */
    private static byte[] oneWrite(ListenerKind kind, Endpoint endpoint, byte[] messages, int replyLength) throws Exception {
        try (Session client = kind.connect(endpoint)) {
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    client.send(messages);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            byte[] reply = client.receive(replyLength);
            writer.get(60, TimeUnit.SECONDS);
            return reply;
        }
    }

    /** The article's wire: the digest, then JSON values back to back (no separators: a bare number would end with its segment). */
    private JechoServer startLegacy() throws Exception {
        return JechoServer.builder().tcp("127.0.0.1", 0).service(Service.UPPER).logConnections(false)
                .keys(KEY.toKeyring()).legacyAuth(LegacyDigest.SHA256).start();
    }

    private static String legacyValues(int count, boolean upper) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) {
            sb.append(upper ? "\"M" + i + "\"" : "\"m" + i + "\"");
        }
        return sb.toString();
    }

    @Test
    void theLegacyWireGetsItsValuesBackIdenticalAndInOrderThroughOneByteSegments() throws Exception {
        byte[] values = legacyValues(10_000, false).getBytes(StandardCharsets.US_ASCII);
        byte[] answer = legacyValues(10_000, true).getBytes(StandardCharsets.US_ASCII);
        try (JechoServer server = startLegacy();
             FaultProxy proxy = FaultProxy.start(server.boundEndpoints().get(0), FaultProxy.Faults.segments(1));
             StreamClient c = StreamClient.connect(proxy.endpoint())) {
            c.write(LegacyDigest.SHA256.hmac(KEY.secret(), c.read(32)));
            assertThat(roundTrip(c, values, answer.length)).isEqualTo(answer);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (proxy.segmentsWritten() < 2L * values.length && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertThat(proxy.segmentsWritten()).isGreaterThanOrEqualTo(2L * values.length);
        }
    }

    @Test
    void theLegacyWireGetsAThousandValuesWrittenAtOnceWithTheDigestBackIdenticalAndInOrder() throws Exception {
        byte[] values = legacyValues(1_000, false).getBytes(StandardCharsets.US_ASCII);
        byte[] answer = legacyValues(1_000, true).getBytes(StandardCharsets.US_ASCII);
        try (JechoServer server = startLegacy()) {
            Endpoint endpoint = server.boundEndpoints().get(0);
            try (FaultProxy proxy = FaultProxy.start(endpoint, FaultProxy.Faults.none())) {
                for (Endpoint to : new Endpoint[] {endpoint, proxy.endpoint()}) {
                    try (StreamClient c = StreamClient.connect(to)) {
                        byte[] digest = LegacyDigest.SHA256.hmac(KEY.secret(), c.read(32));
                        byte[] both = java.util.Arrays.copyOf(digest, digest.length + values.length);
                        System.arraycopy(values, 0, both, digest.length, values.length);
                        assertThat(roundTrip(c, both, answer.length)).as(to.toString()).isEqualTo(answer); // one write
                    }
                }
            }
        }
    }

    @Test
    void jechosOwnClientOverTlsAndTheHandshakeGetsEveryReplyThroughOneByteSegments() throws Exception {
        ListenerKind kind = new ListenerKind(Endpoint.Kind.TCP, true, ListenerKind.Framing.AUTHENTICATED);
        ServerTls tls = ServerTls.selfSigned(List.of("localhost"), List.of(InetAddress.getByName("127.0.0.1")));
        int count = 2_000;
        try (JechoServer server = kind.start(dir, options -> options.service(Service.UPPER).logConnections(false).tls(tls));
             FaultProxy proxy = FaultProxy.start(server.boundEndpoints().get(0), FaultProxy.Faults.segments(1));
             JechoClient client = ClientConfig.builder(proxy.endpoint()).json(true).timeout(Duration.ofSeconds(60))
                     .keys(ListenerKind.keys()).tls(ClientTls.pinned(Fingerprint.parse(tls.fingerprint()))).connect()) {
            List<CompletableFuture<byte[]>> replies = new ArrayList<>(count); // every message its own TLS and session record
            for (int i = 0; i < count; i++) {
                replies.add(client.send(("\"m" + i + "\"").getBytes(StandardCharsets.US_ASCII)));
            }
            for (int i = 0; i < count; i++) {
                assertThat(new String(JechoClient.await(replies.get(i)), StandardCharsets.US_ASCII))
                        .as("reply %d", i).isEqualTo("\"M" + i + "\"");
            }
        }
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

    @Test
    void aSlowLinkWithTinySegmentsAndPausesStillDeliversEverything() throws Exception {
        try (JechoServer server = JechoServer.builder().service(Service.UPPER).logConnections(false).tcp("127.0.0.1", 0).start();
             FaultProxy proxy = FaultProxy.start(server.boundEndpoints().get(0),
                     FaultProxy.Faults.segments(3).pausing(java.time.Duration.ofMillis(1)).towardsServerOnly());
             StreamClient client = StreamClient.connect(proxy.endpoint())) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 100; i++) {
                sb.append("message ").append(i).append(" of ").append(100).append('\n');
            }
            byte[] request = sb.toString().getBytes(StandardCharsets.US_ASCII);
            assertThat(roundTrip(client, request, request.length)).isEqualTo(Payloads.upper(request));
            assertThat(proxy.segmentsWritten()).isGreaterThanOrEqualTo((request.length + 2) / 3);
        }
    }
}
