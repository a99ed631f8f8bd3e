package dev.jecho.internal.server;

import io.netty.channel.ChannelConfig;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.ServerChannelRecvByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How many connections a listener accepts per wake-up. Netty 4.2.18's epoll listener runs its accept loop as
 * {@link #acceptsInOneWakeUp} does: the "bytes read" it reports are the accepted descriptor's number, and its
 * "maybe more to read?" asks whether they equal the 1 it said it attempted, which a descriptor (0-2 are taken)
 * never does. A handle that listens to that question accepts one connection per wake-up.
 */
class AcceptsPerWakeUpTest {

    @Test
    void aListenerAcceptsEveryWaitingConnectionUpTo256PerWakeUp() {
        assertThat(acceptsInOneWakeUp(StreamListeners.ACCEPTS, 1000)).isEqualTo(256);
        assertThat(acceptsInOneWakeUp(StreamListeners.ACCEPTS, 40)).as("then accept says EAGAIN").isEqualTo(40);
    }

    @Test
    void nettysDefaultForAListenerWouldAcceptOnlyOne() {
        assertThat(acceptsInOneWakeUp(new ServerChannelRecvByteBufAllocator(), 1000)).isEqualTo(1);
    }

    /** Netty's epoll accept loop (AbstractEpollServerChannel.EpollServerSocketUnsafe.epollInReady), {@code waiting} in the queue. */
    private static int acceptsInOneWakeUp(RecvByteBufAllocator allocator, int waiting) {
        ChannelConfig config = new EmbeddedChannel().config();
        config.setAutoRead(true);
        RecvByteBufAllocator.ExtendedHandle handle = (RecvByteBufAllocator.ExtendedHandle) allocator.newHandle();
        handle.reset(config);
        handle.attemptedBytesRead(1);
        int accepted = 0;
        int descriptor = 100;
        do {
            int result = accepted < waiting ? descriptor++ : -1; // accept(2): a new descriptor, or -1 (EAGAIN)
            handle.lastBytesRead(result);
            if (result == -1) {
                break;
            }
            handle.incMessagesRead(1);
            accepted++;
        } while (handle.continueReading(() -> handle.lastBytesRead() == handle.attemptedBytesRead()));
        handle.readComplete();
        return accepted;
    }
}
