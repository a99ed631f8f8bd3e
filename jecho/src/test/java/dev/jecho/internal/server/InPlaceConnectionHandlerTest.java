package dev.jecho.internal.server;

import dev.jecho.ConnectionInfo;
import dev.jecho.ServerConfig;
import dev.jecho.ServerConfigAccess;
import dev.jecho.Service;
import dev.jecho.internal.protocol.PipelineNames;
import dev.jecho.testing.LogCapture;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one handler of a plain connection to an in-place byte service does what the four it replaces do together:
 * the same replies, backpressure, counts, close and close line, step by step, whatever the client does.
 */
class InPlaceConnectionHandlerTest {

    @Test
    void aPlainEchoConnectionHasOneHandlerAndOneWithMoreStagesKeepsThemAll() {
        assertThat(names(ServerConfig.builder().service(Service.ECHO).build(), false))
                .containsExactly(PipelineNames.CONNECTION);
        assertThat(names(ServerConfig.builder().service(Service.UPPER).maxConnectionsPerIp(4).build(), true))
                .containsExactly(PipelineNames.ADMISSION, PipelineNames.CONNECTION);
        assertThat(names(ServerConfig.builder().service(Service.ECHO).json(true).build(), false))
                .contains(PipelineNames.TRACKER, PipelineNames.BACKPRESSURE, PipelineNames.SERVICE, PipelineNames.END)
                .doesNotContain(PipelineNames.CONNECTION);
    }

    private static List<String> names(ServerConfig config, boolean perSourceLimits) {
        OpenConnections open = new OpenConnections();
        SourceLimits limits = perSourceLimits
                ? new SourceLimits(ServerConfigAccess.limits(config), new java.util.Random(1), new ConnectionLog(false)) : null;
        EmbeddedChannel ch = new EmbeddedChannel(new StreamChannelInitializer(
                TestListeners.stream(new ConnectionLog(false), "tcp", new ServerCounters(open), open, true),
                ServerConfigAccess.streamPipeline(config, limits, null), null));
        try {
            return ch.pipeline().names().stream().filter(n -> !n.startsWith("DefaultChannelPipeline")).toList();
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    /** What a client can do to a connection, one step of a script. */
    sealed interface Step permits Send, Read, ShutdownInput, Fail { }

    /** Messages that arrive in one read batch. */
    record Send(List<byte[]> messages) implements Step { }

    /** The client reads every reply sent so far. */
    record Read() implements Step { }

    /** The client shuts its output down. */
    record ShutdownInput() implements Step { }

    /** An error: a vanished peer (routine) or anything else. */
    record Fail(boolean routine) implements Step { }

    @Property(tries = 200)
    void behavesAsTheFourHandlersItReplaces(@ForAll("scripts") List<Step> script, @ForAll boolean upper) {
        Service service = upper ? Service.UPPER : Service.ECHO;
        List<String> four = run(script, listener -> new ChannelHandler[] {new ConnectionTracker(listener),
                BackpressureHandler.INSTANCE, new ByteServiceHandler(service), ConnectionEndHandler.INSTANCE});
        List<String> one = run(script, listener -> new ChannelHandler[] {
                new InPlaceConnectionHandler(listener, new ByteServiceHandler(service), true)});
        assertThat(one).isEqualTo(four);
    }

    @Provide
    Arbitrary<List<Step>> scripts() {
        Arbitrary<byte[]> message = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(200);
        Arbitrary<Step> send = message.list().ofMinSize(1).ofMaxSize(6).map(Send::new);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, send),
                net.jqwik.api.Tuple.of(4, Arbitraries.just(new Read())),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new ShutdownInput())),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(true, false).map(Fail::new))).list().ofMaxSize(20);
    }

    /** The transcript of one script: after each step what the client got, and the connection's state; then the log. */
    private static List<String> run(List<Step> script, Function<StreamListener, ChannelHandler[]> handlers) {
        OpenConnections open = new OpenConnections();
        StreamListener listener = TestListeners.stream(new ConnectionLog(true), "tcp", new ServerCounters(open), open, true);
        List<String> transcript = new ArrayList<>();
        try (LogCapture log = LogCapture.start()) {
            EmbeddedChannel ch = new EmbeddedChannel(handlers.apply(listener));
            ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(64, 256));
            ConnectionTracker tracker = ch.pipeline().get(ConnectionTracker.class);
            for (Step step : script) {
                if (!ch.isOpen()) {
                    break;
                }
                if (step instanceof Send send) {
                    ch.writeInbound(send.messages().stream().map(Unpooled::copiedBuffer).toArray());
                } else if (step instanceof Read) {
                    transcript.add("client got " + replies(ch));
                } else if (step instanceof ShutdownInput) {
                    ch.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
                } else if (step instanceof Fail fail) {
                    ch.pipeline().fireExceptionCaught(fail.routine()
                            ? new IOException("Connection reset by peer") : new IllegalStateException("a bug"));
                }
                ch.runPendingTasks();
                ConnectionInfo info = ch.isOpen() ? tracker.describe(ch) : null;
                transcript.add(step + ": open " + ch.isOpen() + ", reading " + ch.config().isAutoRead() + ", writable "
                        + ch.isWritable() + (info == null ? "" : ", in " + info.messagesIn() + "/" + info.bytesIn()
                        + ", out " + info.messagesOut() + "/" + info.bytesOut()));
                assertThat((Object) ch.readInbound()).as("nothing passes the service").isNull();
            }
            transcript.add("client got " + replies(ch));
            ch.close();
            ch.finishAndReleaseAll();
            for (String line : log.lines()) {
                // the close line's duration is the only thing that may differ
                transcript.add("log: " + line.replaceAll(", [0-9.]+ ?[a-zµ]+\\)$", ")"));
            }
            transcript.add("open connections " + open.size());
        }
        return transcript;
    }

    private static String replies(EmbeddedChannel ch) {
        StringBuilder got = new StringBuilder();
        ByteBuf reply;
        while ((reply = ch.readOutbound()) != null) {
            got.append(ByteBufUtil.hexDump(reply)).append('|');
            reply.release();
        }
        return got.toString();
    }
}
