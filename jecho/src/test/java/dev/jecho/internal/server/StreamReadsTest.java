package dev.jecho.internal.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelConfig;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    /**
     * The small handle takes the decisions Netty's adaptive one takes with the same sizes: the same buffer for
     * every read, the same answer to "read again?", whatever the reads return, and with reading paused midway.
     */
    @Property(tries = 300)
    void decidesAsNettysAdaptivePredictorDoes(@ForAll @Size(min = 1, max = 60) List<@IntRange(min = 0, max = 200_000) Integer> reads,
                                              @ForAll @IntRange(min = 0, max = 59) int pauseAt) {
        ChannelConfig config = new EmbeddedChannel().config();
        config.setAutoRead(true);
        RecvByteBufAllocator.ExtendedHandle ours = (RecvByteBufAllocator.ExtendedHandle) StreamListeners.STREAM_READS.newHandle();
        RecvByteBufAllocator.ExtendedHandle netty = (RecvByteBufAllocator.ExtendedHandle)
                new AdaptiveRecvByteBufAllocator(StreamListeners.MIN_READ_BUFFER, 2048, 64 * 1024).maxMessagesPerRead(16).newHandle();
        int i = 0;
        while (i < reads.size()) { // one wake-up: reads until the handle says stop, as Netty's read loop does
            ours.reset(config);
            netty.reset(config);
            boolean more;
            do {
                assertThat(ours.guess()).as("guess before read %d", i).isEqualTo(netty.guess());
                int wanted = ours.guess();
                int got = Math.min(reads.get(i), wanted); // a socket never returns more than the buffer holds
                for (RecvByteBufAllocator.ExtendedHandle h : List.of(ours, netty)) {
                    h.attemptedBytesRead(wanted);
                    h.lastBytesRead(got);
                    h.incMessagesRead(1);
                }
                config.setAutoRead(i != pauseAt); // backpressure pausing the connection midway through a loop
                more = ours.continueReading();
                assertThat(more).as("read again after read %d", i).isEqualTo(netty.continueReading());
                assertThat(ours.continueReading(() -> false)).isEqualTo(netty.continueReading(() -> false));
                assertThat(ours.lastBytesRead()).isEqualTo(netty.lastBytesRead());
                config.setAutoRead(true);
                i++;
            } while (more && i < reads.size());
            ours.readComplete();
            netty.readComplete();
        }
        assertThat(ours.guess()).isEqualTo(netty.guess());
    }

    @Test
    void takesOnlyPowersOfTwoFrom1024() {
        assertThatThrownBy(() -> new StreamReads(512, 2048, 65536, 16)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StreamReads(1024, 3000, 65536, 16)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StreamReads(4096, 2048, 65536, 16)).isInstanceOf(IllegalArgumentException.class);
    }
}
