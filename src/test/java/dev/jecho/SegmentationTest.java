package dev.jecho;

import dev.jecho.server.JechoServer;
import dev.jecho.service.Service;
import dev.jecho.testing.FaultProxy;
import dev.jecho.testing.Payloads;
import dev.jecho.testing.StreamClient;
import dev.jecho.transport.Endpoint;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * However the network cuts the stream, every message comes back identical and in order: through a
 * fault-injecting proxy that forwards one byte per TCP segment, and all at once in one write. Raw mode
 * over TCP and Unix sockets; the other modes (JSON, authenticated) reuse {@link FaultProxy} the same way.
 */
class SegmentationTest {

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
