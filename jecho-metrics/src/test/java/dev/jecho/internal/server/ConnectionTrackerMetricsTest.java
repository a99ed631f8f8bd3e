package dev.jecho.internal.server;

import dev.jecho.ListenerRecorder;
import dev.jecho.ServerStats;
import dev.jecho.internal.protocol.ConnectionEvents;
import dev.jecho.metrics.PrometheusMetrics;
import dev.jecho.metrics.PrometheusMetricsSupport;
import dev.jecho.testing.Scrape;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The tracker turns what passes it, and the connection events, into the listener's metrics. */
class ConnectionTrackerMetricsTest {

    private static final String LISTENER = "tcp://127.0.0.1:7777";

    private final PrometheusMetrics metrics = PrometheusMetricsSupport.withoutJvm();
    private final ListenerRecorder recorder = metrics.listener(LISTENER, "echo");
    private final OpenConnections open = new OpenConnections();

    private EmbeddedChannel connection() {
        StreamListener listener = new StreamListener("tcp", LISTENER, new ConnectionLog(false), new ServerCounters(open),
                open, recorder, true);
        return new EmbeddedChannel(new ConnectionTracker(listener), new EchoEveryRead());
    }

    @Test
    void handshakeOutcomesAreCountedByReasonFromTheConnectionEvents() {
        EmbeddedChannel ok = connection();
        ok.pipeline().fireUserEventTriggered(new ConnectionEvents.Authenticated("k1"));
        EmbeddedChannel bad1 = connection();
        bad1.pipeline().fireUserEventTriggered(new ConnectionEvents.AuthenticationFailed("bad_proof"));
        EmbeddedChannel bad2 = connection();
        bad2.pipeline().fireUserEventTriggered(new ConnectionEvents.AuthenticationFailed("bad_proof"));
        EmbeddedChannel late = connection();
        late.pipeline().fireUserEventTriggered(new ConnectionEvents.AuthenticationFailed("timeout"));

        Scrape s = PrometheusMetricsSupport.scrape(metrics);
        assertThat(s.count("jecho_handshakes_succeeded_total", "listener", LISTENER)).isEqualTo(1);
        assertThat(s.count("jecho_handshakes_failed_total", "listener", LISTENER, "reason", "bad_proof")).isEqualTo(2);
        assertThat(s.count("jecho_handshakes_failed_total", "listener", LISTENER, "reason", "timeout")).isEqualTo(1);
        assertThat(s.count("jecho_connections_open", "listener", LISTENER)).isEqualTo(4);
        for (EmbeddedChannel ch : new EmbeddedChannel[] {ok, bad1, bad2, late}) {
            assertThat(ch.finish()).isFalse();
        }
        assertThat(PrometheusMetricsSupport.scrape(metrics).count("jecho_connections_open", "listener", LISTENER)).isZero();
    }

    @Test
    void refusalsAreCountedByReasonAndTheConnectionStillCountsAsAcceptedAndClosed() {
        EmbeddedChannel ch = connection();
        ch.pipeline().fireUserEventTriggered(new ConnectionEvents.Refused("too_many_connections"));
        ch.close();
        Scrape s = PrometheusMetricsSupport.scrape(metrics);
        assertThat(s.count("jecho_connections_refused_total", "reason", "too_many_connections")).isEqualTo(1);
        assertThat(s.count("jecho_connections_accepted_total")).isEqualTo(1);
        assertThat(s.count("jecho_connections_open")).isZero();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void messagesAndBytesAreCountedEachWayAndEveryReadBatchOfTheFirstEightIsTimedOnce() {
        EmbeddedChannel ch = connection();
        for (int i = 0; i < 9; i++) {
            ch.writeInbound(Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII)); // one read batch each
        }
        for (int i = 0; i < 9; i++) {
            ByteBuf reply = ch.readOutbound();
            assertThat(reply.toString(StandardCharsets.US_ASCII)).isEqualTo("hello");
            reply.release();
        }
        Scrape s = PrometheusMetricsSupport.scrape(metrics);
        assertThat(s.count("jecho_messages_received_total")).isEqualTo(9);
        assertThat(s.count("jecho_bytes_received_total")).isEqualTo(45);
        assertThat(s.count("jecho_messages_sent_total")).isEqualTo(9);
        assertThat(s.count("jecho_bytes_sent_total")).isEqualTo(45);
        assertThat(s.count("jecho_processing_seconds_count")).as("batches 1 and 9 of 9 sampled").isEqualTo(2);
        assertThat(s.count("jecho_processing_seconds_bucket", "le", "+Inf")).isEqualTo(2);
        assertThat(ch.finish()).isFalse();
    }

    /** Writes each read back, as the echo service does. */
    static final class EchoEveryRead extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }
    }
}
