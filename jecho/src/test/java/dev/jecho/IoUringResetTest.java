package dev.jecho;

import dev.jecho.testing.StreamClient;
import io.netty.channel.uring.IoUring;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The reset Netty 4.2.18's io_uring transport misses: a JSON client sends part of a line longer than the
 * server takes and resets the connection. The kernel closes the socket, Netty's io_uring channel stays
 * active (on epoll the reset is reported at once). The connection sweep asks the kernel and closes such
 * connections, so they go within a sweep interval (one second by default) instead of the idle timeout.
 */
class IoUringResetTest {

    @Test
    void resetsTheTransportMissesAreClosedByTheSweep() throws Exception {
        assumeTrue(IoUring.isAvailable(), "io_uring is not available here");
        try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).service(Service.ECHO).json(true)
                .transport(Transport.IO_URING).start()) {
            Endpoint endpoint = server.boundEndpoints().get(0);
            for (int i = 0; i < 20; i++) {
                StreamClient client = StreamClient.connect(endpoint);
                client.write(("\"" + "z".repeat(200_000 + 10_000 * i) + "\"\n").getBytes(StandardCharsets.UTF_8));
                client.reset();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (server.stats().openConnections() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(server.stats().openConnections()).as("connections open 3 s after the last reset").isZero();
            assertThat(server.stats().acceptedConnections()).isEqualTo(20);
        }
    }
}
