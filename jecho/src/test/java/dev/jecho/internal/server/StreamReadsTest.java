package dev.jecho.internal.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelConfig;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How a stream connection's read loop sizes its buffers: a small message never fills one. */
class StreamReadsTest {

    @Test
    void aSmallMessageLeavesItsReadBufferPartlyEmptySoTheReadLoopStopsWithoutAnotherRead() {
        ChannelConfig config = new EmbeddedChannel().config();
        config.setAutoRead(true);
        RecvByteBufAllocator.Handle reads = StreamListeners.STREAM_READS.newHandle();
        // a connection that only ever gets 64-byte messages, one per wake-up, for long enough to shrink the guess
        for (int wakeUp = 0; wakeUp < 100; wakeUp++) {
            reads.reset(config);
            ByteBuf buffer = reads.allocate(UnpooledByteBufAllocator.DEFAULT);
            int message = 64;
            reads.attemptedBytesRead(buffer.writableBytes());
            reads.lastBytesRead(message);
            reads.incMessagesRead(1);
            assertThat(buffer.capacity()).as("wake-up %d", wakeUp).isGreaterThan(message);
            // Netty's loop goes on when the last read filled its buffer; a 64-byte guess did, every time
            assertThat(reads.continueReading()).as("wake-up %d: a second read would find nothing", wakeUp).isFalse();
            reads.readComplete();
            buffer.release();
        }
        assertThat(StreamListeners.MIN_READ_BUFFER).isGreaterThan(64);
    }
}
