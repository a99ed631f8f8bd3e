package dev.jecho.internal.server;

import dev.jecho.Fault;
import dev.jecho.ServerConfig;
import dev.jecho.ServerConfigAccess;
import dev.jecho.Service;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The fault stage of a stream pipeline: there only when a connection meets a fault; exact on a frozen clock. */
class StreamFaultStageTest {

    private static EmbeddedChannel connection(String... faults) {
        return connection(Service.ECHO, faults);
    }

    private static EmbeddedChannel connection(Service service, String... faults) {
        ServerConfig.Builder b = ServerConfig.builder().service(service);
        for (String f : faults) {
            b.fault(Fault.parse(f));
        }
        ServerConfig config = b.build();
        OpenConnections open = new OpenConnections();
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime(); // before the stage schedules anything
        ch.pipeline().addLast(new StreamChannelInitializer(TestListeners.stream(new ConnectionLog(false), "tcp",
                new ServerCounters(open), open, true), ServerConfigAccess.streamPipeline(config, null, null), null));
        ch.pipeline().fireChannelActive(); // the stages came after registration, so announce the connection to them
        return ch;
    }

    @Test
    void aServerWithoutFaultsHasNoFaultStage() {
        EmbeddedChannel ch = connection();
        assertThat(ch.pipeline().names()).doesNotContain("faults").containsAnyOf("service", "connection"); // "connection": the one handler of a plain echo or upper connection
        ch.finishAndReleaseAll();
    }

    @Test
    void aConnectionWithoutFaultsIsDescribedAndClosedWithoutAFaultAttribute() {
        EmbeddedChannel ch = connection();
        assertThat(ch.pipeline().get(ConnectionTracker.class).describe(ch).faults()).isNull();
        ch.close();
        assertThat(ch.hasAttr(StreamFaultHandler.MET)).as("the close line asked what faults it met without adding"
                + " an attribute to say none").isFalse();
        ch.finishAndReleaseAll();
    }

    @Test
    void aConnectionThatMeetsAFaultHasTheStageFirst() {
        EmbeddedChannel ch = connection("corrupt=4");
        assertThat(ch.pipeline().names().get(0)).isEqualTo("faults");
        ch.finishAndReleaseAll();
    }

    @Test
    void aConnectionThatMeetsNoneHasNoStage() {
        EmbeddedChannel ch = connection("corrupt=4,toxicity=0");
        assertThat(ch.pipeline().names()).doesNotContain("faults");
        ch.finishAndReleaseAll();
    }

    @Test
    void latencyHoldsAReplyExactlyThatLong() {
        EmbeddedChannel ch = connection("latency=50ms");
        ch.writeInbound(Unpooled.copiedBuffer(new byte[] {1, 2, 3}));
        assertThat((Object) ch.readOutbound()).isNull();
        ch.advanceTimeBy(49, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat((Object) ch.readOutbound()).isNull();
        ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        ByteBuf reply = ch.readOutbound();
        assertThat(reply.readableBytes()).isEqualTo(3);
        reply.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void sliceCutsAReplyIntoPiecesOfTheSizesAskedOneDelayApart() {
        EmbeddedChannel ch = connection("slice=10-20,delay=20ms");
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[200]));
        List<Integer> sizes = new ArrayList<>();
        for (int step = 0; step < 40 && sizes.stream().mapToInt(i -> i).sum() < 200; step++) {
            ByteBuf piece;
            int now = 0;
            while ((piece = ch.readOutbound()) != null) {
                now++;
                sizes.add(piece.readableBytes());
                piece.release();
            }
            assertThat(now).as("one piece per delay").isLessThanOrEqualTo(1);
            ch.advanceTimeBy(20, TimeUnit.MILLISECONDS);
            ch.runScheduledPendingTasks();
        }
        assertThat(sizes.stream().mapToInt(i -> i).sum()).isEqualTo(200);
        assertThat(sizes.subList(0, sizes.size() - 1)).allMatch(n -> n >= 10 && n <= 20);
        assertThat(sizes).hasSizeBetween(10, 20);
        ch.finishAndReleaseAll();
    }

    @Test
    void bandwidthLetsThroughTheRateAndNoMore() {
        EmbeddedChannel ch = connection("bandwidth=1000");
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[3000]));
        int sent = 0;
        for (int ms = 0; ms < 1000; ms += 50) {
            ch.advanceTimeBy(50, TimeUnit.MILLISECONDS);
            ch.runScheduledPendingTasks();
            ByteBuf piece;
            while ((piece = ch.readOutbound()) != null) {
                sent += piece.readableBytes();
                piece.release();
            }
        }
        assertThat(sent).as("one second at 1000 bytes a second").isEqualTo(1000);
        ch.finishAndReleaseAll();
    }

    @Test
    void whatTheStageHoldsCountsAgainstTheWaterMarks() {
        EmbeddedChannel ch = connection("bandwidth=64KiB");
        for (int i = 0; i < 20 && ch.isWritable(); i++) {
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[16 * 1024]));
        }
        assertThat(ch.isWritable()).as("unwritable with replies held back past the high-water mark").isFalse();
        assertThat(ch.config().isAutoRead()).as("so reading stops").isFalse();
        for (int s = 0; s < 30 && !ch.config().isAutoRead(); s++) {
            ch.advanceTimeBy(100, TimeUnit.MILLISECONDS);
            ch.runPendingTasks();
            ByteBuf piece;
            while ((piece = ch.readOutbound()) != null) {
                piece.release();
            }
        }
        assertThat(ch.isWritable()).isTrue();
        assertThat(ch.config().isAutoRead()).as("resumed once they drained below the low mark").isTrue();
        ch.finishAndReleaseAll();
    }

    @Test
    void aServiceThatSpeaksUnaskedWaitsForTheFaultToo() {
        EmbeddedChannel ch = connection(Service.CHARGEN, "bandwidth=1KiB");
        ch.runPendingTasks();
        long written = 0;
        ByteBuf piece;
        while ((piece = ch.readOutbound()) != null) {
            written += piece.readableBytes();
            piece.release();
        }
        assertThat(written).as("at once, one quantum of 1/20 s at most").isLessThanOrEqualTo(1024 / 20 + 74);
        assertThat(ch.isWritable()).as("chargen stopped at the high-water mark, not at memory's end").isFalse();
        ch.finishAndReleaseAll();
    }
}
