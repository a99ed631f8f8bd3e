package dev.jecho;

import dev.jecho.internal.transport.NettyTransport;
import dev.jecho.testing.StreamClient;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Resets that Netty 4.2.18's io_uring transport, waiting with multishot polls, misses: the client's last
 * bytes and its reset are both queued before the server reads. jecho makes the transport poll once at a
 * time ({@link NettyTransport}), which sees them at once; the connection sweep, which asks the kernel about
 * each io_uring connection, stays as a second line for an application that turned multishot polls back on.
 * And a close that one-shot polls would have lost.
 */
class IoUringResetTest {

    @Test
    void aResetRightBehindTheLastBytesClosesTheConnectionWithoutTheSweep() throws Exception {
        assumeTrue(NettyTransport.available(Transport.IO_URING), "io_uring is not available here");
        // no timeouts, so no sweep: only the transport can notice the resets
        try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).service(Service.DISCARD)
                .idleTimeout(Duration.ZERO).slowClientTimeout(Duration.ZERO).logConnections(false)
                .transport(Transport.IO_URING).start()) {
            Endpoint endpoint = server.boundEndpoints().get(0);
            for (int i = 0; i < 20; i++) {
                StreamClient client = StreamClient.connect(endpoint);
                client.write("0123456789".getBytes(StandardCharsets.US_ASCII));
                client.reset();
            }
            awaitAllClosed(server, 20, Duration.ofSeconds(10));
        }
    }

    @Test
    void aResetInTheMiddleOfALongJsonLineClosesTheConnection() throws Exception {
        assumeTrue(NettyTransport.available(Transport.IO_URING), "io_uring is not available here");
        try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).service(Service.ECHO).json(true)
                .transport(Transport.IO_URING).start()) {
            Endpoint endpoint = server.boundEndpoints().get(0);
            for (int i = 0; i < 20; i++) {
                StreamClient client = StreamClient.connect(endpoint);
                client.write(("\"" + "z".repeat(200_000 + 10_000 * i) + "\"\n").getBytes(StandardCharsets.UTF_8));
                client.reset();
            }
            awaitAllClosed(server, 20, Duration.ofSeconds(3));
        }
    }

    /**
     * The server closes (a plain client on a TLS listener) while more of the client's bytes are on the way and
     * the client then waits, sending nothing: the close ends the connection. A one-shot poll armed after
     * the close began held the socket open for good ({@code IoUringCloseGuard}).
     */
    @Test
    void aCloseWhileTheClientWaitsInSilenceEndsTheConnection() throws Exception {
        assumeTrue(NettyTransport.available(Transport.IO_URING), "io_uring is not available here");
        ServerTls tls = ServerTls.selfSigned(List.of("localhost"), List.of());
        try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).tls(tls).logConnections(false)
                .transport(Transport.IO_URING).start()) {
            for (int size : new int[] {4096, 16_384, 100_000}) {
                try (StreamClient client = StreamClient.connect(server.boundEndpoints().get(0))) {
                    client.write(new byte[size]); // zeros: not a TLS handshake record
                    assertThat(client.endsWithin(Duration.ofSeconds(5)))
                            .as("%d bytes sent: the server's close ended the connection", size).isTrue();
                }
            }
        }
    }

    private static void awaitAllClosed(JechoServer server, int connections, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while ((server.stats().acceptedConnections() < connections || server.stats().openConnections() > 0)
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(server.stats().acceptedConnections()).isEqualTo(connections);
        assertThat(server.stats().openConnections()).as("connections open %s after the last reset", within).isZero();
    }
}
