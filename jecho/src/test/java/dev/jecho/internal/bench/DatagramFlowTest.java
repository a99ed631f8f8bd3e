package dev.jecho.internal.bench;

import dev.jecho.BenchConfig;
import dev.jecho.Service;
import dev.jecho.Endpoint;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** UDP accounting, exactly: one flow in an {@link EmbeddedChannel}, replies crafted in a chosen order. */
class DatagramFlowTest {

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final List<ByteBuf> sent = new ArrayList<>();
    private RunContext run;

    private DatagramFlow start(BenchConfig config) {
        channel.freezeTime(); // the flow's timeout sweep runs only when the test advances time
        run = new RunContext(config, new Recorders(channel.eventLoop(), false));
        run.window.open(System.nanoTime() - 1, Long.MAX_VALUE);
        DatagramFlow flow = new DatagramFlow(0, run);
        channel.pipeline().addLast(flow);
        flow.connectDone(channel.newSucceededFuture());
        collectSent();
        return flow;
    }

    private void collectSent() {
        ByteBuf b;
        while ((b = channel.readOutbound()) != null) {
            sent.add(b);
        }
    }

    /** The echo of datagram {@code seq} (a copy: the bench may get one reply twice). */
    private void reply(int seq) {
        channel.writeInbound(sent.get(seq).retainedDuplicate());
        collectSent();
    }

    private void replyCorrupted(int seq) {
        ByteBuf copy = Unpooled.copiedBuffer(sent.get(seq));
        copy.setByte(copy.readableBytes() - 1, 'Z');
        channel.writeInbound(copy);
        collectSent();
    }

    @Test
    void tagsTellLossesDuplicatesReorderingAndLateRepliesApart() throws Exception {
        start(BenchConfig.builder(Endpoint.udp("127.0.0.1", 9)).pipeline(4).size(16)
                .timeout(Duration.ofMillis(1)).build());
        assertThat(sent).hasSize(4);
        assertThat(sent.get(3).toString(io.netty.util.CharsetUtil.US_ASCII)).startsWith("00000003");

        reply(1);                 // answered; the flow sends datagram 4
        reply(0);                 // answered after a later one: reordered
        reply(1);                 // a second reply: duplicate
        replyCorrupted(3);        // wrong bytes: mismatch; 3 still waits
        reply(3);                 // answered
        assertThat(sent).hasSize(7);

        Thread.sleep(5);          // every waiting datagram (2, 4, 5, 6) is now older than the 1 ms timeout
        channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        channel.runPendingTasks();
        collectSent();
        assertThat(sent).as("given-up datagrams free their places").hasSize(11);

        reply(2);                 // after it was given up: late (and reordered: 3 came first)
        run.window.stop();

        assertThat(run.stats.datagramsSent.sum()).isEqualTo(11);
        assertThat(run.stats.datagramsAnswered.sum()).isEqualTo(4);
        assertThat(run.stats.duplicates.sum()).isEqualTo(1);
        assertThat(run.stats.reordered.sum()).isEqualTo(2);
        assertThat(run.stats.late.sum()).isEqualTo(1);
        assertThat(run.stats.errors(ErrorClass.MISMATCH)).isEqualTo(1);
        assertThat(run.stats.errorTotal()).isEqualTo(1);
        assertThat(run.recorders.sample().uncorrected().getTotalCount()).as("answered replies are timed").isEqualTo(4);
    }

    @Test
    void withoutTagsRepliesAreMatchedInOrderAndOnlyLossIsCounted() {
        start(BenchConfig.builder(Endpoint.udp("127.0.0.1", 9)).pipeline(2).size(16)
                .checkReplies(false).timeout(Duration.ofSeconds(10)).build());
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0).getByte(0)).as("no tag: the pattern starts at once").isEqualTo((byte) 'a');

        reply(1);                 // matched to the oldest waiting datagram, 0: no reordering can be seen
        reply(1);                 // matched to 1
        run.window.stop();

        assertThat(run.stats.datagramsAnswered.sum()).isEqualTo(2);
        assertThat(run.stats.reordered.sum()).isZero();
        assertThat(run.stats.duplicates.sum()).isZero();
        assertThat(run.stats.datagramsSent.sum()).isEqualTo(sent.size());
    }

    @Test
    void theNextDatagramGoesOutWhileTheReadLoopStillReads() {
        start(BenchConfig.builder(Endpoint.udp("127.0.0.1", 9)).size(16).build());
        assertThat(sent).hasSize(1);

        channel.pipeline().fireChannelRead(sent.get(0).retainedDuplicate()); // a read; the read loop is not over
        collectSent();
        assertThat(sent).as("flushed before the read loop's end (its next read may then find the reply)").hasSize(2);
        run.window.stop();
    }

    @org.junit.jupiter.api.AfterEach
    void release() {
        sent.forEach(ByteBuf::release);
        channel.finishAndReleaseAll();
    }
}
