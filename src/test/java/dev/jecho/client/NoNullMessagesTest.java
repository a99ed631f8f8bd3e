package dev.jecho.client;

import dev.jecho.transport.Endpoint;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Exceptions without a message (Netty's ClosedChannelException, a bare IOException) once made the
 * client say "the connection is closed: null". Every message says what happened instead.
 */
class NoNullMessagesTest {

    @Test
    void sendingAfterTheServerClosedSaysTheConnectionIsClosed() throws Exception {
        try (ServerSocket rude = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> hungUp = CompletableFuture.runAsync(() -> {
                try (Socket s = rude.accept()) {
                    // accepted, and closed at once
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try (JechoClient client = JechoClient.connect(Endpoint.tcp("127.0.0.1", rude.getLocalPort()))) {
                hungUp.get(10, TimeUnit.SECONDS);
                client.closed().toCompletableFuture().get(10, TimeUnit.SECONDS);
                assertThatThrownBy(() -> client.exchange("hello".getBytes(StandardCharsets.UTF_8)))
                        .isInstanceOfSatisfying(ClientException.class,
                                e -> assertThat(e.reason()).isEqualTo(ClientException.Reason.CLOSED))
                        .hasMessage("the connection is closed");
            }
        }
    }

    @Test
    void aFailureWithoutAMessageIsNamedByItsKind() throws Exception {
        EmbeddedChannel raw = new EmbeddedChannel(new ReplyAssembler(TimeUnit.SECONDS.toNanos(10), "tcp://peer:1"));
        EmbeddedChannel json = new EmbeddedChannel(new MessageReplies(TimeUnit.SECONDS.toNanos(10), "tcp://peer:1", new byte[] {'\n'}, 1));
        for (EmbeddedChannel channel : new EmbeddedChannel[] {raw, json}) {
            try {
                CompletableFuture<byte[]> reply = new CompletableFuture<>();
                channel.writeOutbound(new ReplyAssembler.Request("hi".getBytes(StandardCharsets.UTF_8), reply));
                channel.pipeline().fireExceptionCaught(new IOException());
                assertThatThrownBy(() -> JechoClient.await(reply)).hasMessage("connection to tcp://peer:1 failed: IOException");
            } finally {
                channel.finishAndReleaseAll();
            }
        }
    }

    @Test
    void describeTakesTheFirstMessageInTheCauseChainElseTheKind() {
        assertThat(Causes.describe(new ClosedChannelException())).isEqualTo("connection closed");
        assertThat(Causes.describe(new IllegalStateException(null, new IOException("Broken pipe")))).isEqualTo("Broken pipe");
        assertThat(Causes.describe(new IOException(" "))).isEqualTo("IOException");
        assertThat(Causes.describe(null)).isEqualTo("unknown failure");
    }
}
