package dev.jecho;

import dev.jecho.testing.StreamClient;
import io.netty.channel.Channel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.socket.DuplexChannelConfig;
import io.netty.channel.uring.IoUring;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A plain echo connection keeps half-closure on only while replies wait to be written: with every reply
 * written, the client's end of stream closes it at once (no shutdown(2), no empty write before the close);
 * with replies waiting, the end of stream waits for them (HalfCloseTest: every byte arrives).
 */
class HalfClosureWhileRepliesWaitTest {

    /** Not io_uring: its writes complete after the read batch that made them, so half-closure stays on there. */
    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"EPOLL", "NIO"})
    void everyReplyWrittenMeansTheEndOfStreamClosesAtOnce(Transport transport) throws Exception {
        assumeAvailable(transport);
        try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).service(Service.ECHO)
                .transport(transport).start();
             StreamClient client = StreamClient.connect(server.boundEndpoints().get(0))) {
            byte[] ping = "ping\n".getBytes(StandardCharsets.US_ASCII);
            client.write(ping);
            assertThat(client.read(ping.length)).isEqualTo(ping);
            Channel accepted = server.openConnections().snapshot().get(0);
            DuplexChannelConfig config = (DuplexChannelConfig) accepted.config();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (config.isAllowHalfClosure() && System.nanoTime() < deadline) {
                Thread.onSpinWait(); // the reply can arrive before the server's read batch has ended
            }
            assertThat(config.isAllowHalfClosure()).as("half-closure, every reply written").isFalse();

            client.shutdownOutput();
            assertThat(client.readUntilClosed(Duration.ofSeconds(10))).as("bytes after the half-close").isZero();
            assertThat(accepted.closeFuture().await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(server.stats().acceptedConnections()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"EPOLL", "IO_URING", "NIO"})
    void repliesWaitingKeepHalfClosureOn(Transport transport) throws Exception {
        assumeAvailable(transport);
        try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).service(Service.ECHO)
                .transport(transport).start();
             StreamClient client = StreamClient.connect(server.boundEndpoints().get(0))) {
            byte[] chunk = new byte[64 << 10];
            long sent = 0;
            // The client does not read: the replies fill both sockets' buffers, the server's wait, and it stops reading.
            client.channel().configureBlocking(false);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            int n = -1;
            while ((n != 0 || server.stats().largestPendingReplyBytes() == 0) && System.nanoTime() < deadline) {
                n = client.channel().write(ByteBuffer.wrap(chunk));
                sent += n;
            }
            assertThat(server.stats().largestPendingReplyBytes()).as("replies waiting for the socket").isPositive();
            DuplexChannelConfig accepted = (DuplexChannelConfig) server.openConnections().snapshot().get(0).config();
            while (!accepted.isAllowHalfClosure() && System.nanoTime() < deadline) {
                Thread.onSpinWait(); // the read batch that filled the socket may still be ending
            }
            assertThat(accepted.isAllowHalfClosure()).as("half-closure, replies waiting").isTrue();
            client.channel().configureBlocking(true);
            client.shutdownOutput();
            assertThat(client.readUntilClosed(Duration.ofSeconds(20))).as("every byte back").isEqualTo(sent);
        }
    }

    private static void assumeAvailable(Transport transport) {
        assumeTrue(transport != Transport.EPOLL || Epoll.isAvailable(), "epoll not available");
        assumeTrue(transport != Transport.IO_URING || IoUring.isAvailable(), "io_uring not available");
    }
}
