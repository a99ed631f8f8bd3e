package dev.jecho;

import dev.jecho.ServerStats.Timeout;
import dev.jecho.testing.StreamClient;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The idle and slow-client timeouts on real sockets, with timeouts short enough for a test. */
class TimeoutsTest {

    @Test
    void aSilentClientIsClosedAfterTheIdleTimeoutWhileAChattyOneStays() throws Exception {
        try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).service(Service.UPPER)
                .idleTimeout(Duration.ofMillis(400)).logConnections(false).start();
             StreamClient silent = StreamClient.connect(server.boundEndpoints().get(0));
             StreamClient chatty = StreamClient.connect(server.boundEndpoints().get(0))) {
            assertThat(silent.exchange("hi".getBytes())).isEqualTo("HI".getBytes());
            long start = System.nanoTime();
            boolean silentClosed = false;
            while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2)) {
                assertThat(chatty.exchange("x".getBytes())).isEqualTo("X".getBytes());
                Thread.sleep(50);
                if (!silentClosed && server.stats().timedOutConnections(Timeout.IDLE) == 1) {
                    silentClosed = true;
                    assertThat(System.nanoTime() - start).as("not before the idle timeout").isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(400));
                }
            }
            assertThat(silentClosed).isTrue();
            assertThat(silent.readsEndOfStream()).as("the silent client sees a clean end of stream").isTrue();
            assertThat(chatty.exchange("still".getBytes())).isEqualTo("STILL".getBytes());
            assertThat(server.stats().openConnections()).isEqualTo(1);
        }
    }

    @Test
    void aClientThatStopsReadingIsClosedAfterTheSlowClientTimeout() throws Exception {
        try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).service(Service.ECHO)
                .slowClientTimeout(Duration.ofMillis(500)).idleTimeout(Duration.ZERO).logConnections(false).start()) {
            Endpoint endpoint = server.boundEndpoints().get(0);
            try (SocketChannel ch = SocketChannel.open()) {
                ch.setOption(StandardSocketOptions.SO_RCVBUF, 32 * 1024);
                ch.connect(new InetSocketAddress(endpoint.host(), endpoint.port()));
                ch.configureBlocking(false);
                ByteBuffer chunk = ByteBuffer.allocateDirect(64 * 1024);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                boolean closedByServer = false;
                while (!closedByServer && System.nanoTime() < deadline) {
                    chunk.clear();
                    try {
                        if (ch.write(chunk) == 0) {
                            Thread.sleep(20);
                        }
                    } catch (IOException reset) {
                        closedByServer = true;
                    }
                    closedByServer |= server.stats().timedOutConnections(Timeout.SLOW_CLIENT) == 1
                            && server.stats().openConnections() == 0;
                }
                assertThat(closedByServer).as("closed by the server within 30 s").isTrue();
                assertThat(server.stats().timedOutConnections(Timeout.SLOW_CLIENT)).isEqualTo(1);
            }
        }
    }
}
