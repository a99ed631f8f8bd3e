package dev.jecho;

import dev.jecho.internal.transport.NettyTransport;
import dev.jecho.testing.StreamClient;
import io.netty.channel.Channel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.socket.DuplexChannelConfig;
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
            // The client does not read: the replies fill its receive buffer (which the kernel may grow to some MB
            // first), then the server's, and the server stops reading. Written until that holds steadily (five
            // looks 20 ms apart): while the client's buffer still takes them, every reply goes out, and the
            // flag is rightly off after each read batch.
            client.channel().configureBlocking(false);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            Channel accepted = null;
            int steady = 0;
            while (steady < 5 && System.nanoTime() < deadline) {
                int n = client.channel().write(ByteBuffer.wrap(chunk));
                sent += n;
                if (accepted == null && !server.openConnections().snapshot().isEmpty()) {
                    accepted = server.openConnections().snapshot().get(0);
                }
                boolean waiting = accepted != null && n == 0 && pendingReplyBytes(accepted) > 0
                        && ((DuplexChannelConfig) accepted.config()).isAllowHalfClosure();
                steady = waiting ? steady + 1 : 0;
                if (waiting) {
                    Thread.sleep(20);
                }
            }
            assertThat(steady).as("replies waiting for the socket, and half-closure on, in five looks in a row").isEqualTo(5);
            client.channel().configureBlocking(true);
            client.shutdownOutput();
            assertThat(client.readUntilClosed(Duration.ofSeconds(20))).as("every byte back").isEqualTo(sent);
        }
    }

    /** Replies the server has written but the socket has not taken yet (read from another thread: a volatile field). */
    private static long pendingReplyBytes(Channel channel) {
        var unwritten = channel.unsafe().outboundBuffer();
        return unwritten == null ? 0 : unwritten.totalPendingWriteBytes();
    }

    private static void assumeAvailable(Transport transport) {
        assumeTrue(transport != Transport.EPOLL || Epoll.isAvailable(), "epoll not available");
        assumeTrue(NettyTransport.available(transport), transport.cliName() + " is not available here");
    }
}
