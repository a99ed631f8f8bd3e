package dev.jecho.internal.server;

import dev.jecho.Service;
import dev.jecho.internal.protocol.ConnectionEvents;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service's output nobody asked for (chargen), in an EmbeddedChannel whose "socket" takes bytes only when
 * the test lets it (a {@link Client} that holds flushes back, as a client that does not read leaves the
 * server's writes queued): output starts once the session is up (the client admitted, TLS up or the handshake
 * done), stops while the queue is above the write high-water mark and resumes as the client reads, is one
 * stream across chunks, and stops at the client's end of stream, its close and the server's drain.
 */
class OutputHandlerTest {

    private static final Object PEER_KNOWN = new ConnectionEvents.PeerKnown(new InetSocketAddress("127.0.0.1", 40000));

    /** Lets the queued bytes out only on {@link #read()}: the client reads what the server has queued. */
    private static final class Client extends ChannelOutboundHandlerAdapter {
        private ChannelHandlerContext ctx;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            // held back: the socket is full
        }

        void read() {
            ctx.flush();
        }
    }

    private static EmbeddedChannel channel(OutputHandler.Start start) {
        return new EmbeddedChannel(new Client(), new OutputHandler(Service.CHARGEN, start));
    }

    /** What the client reads now: the server's queued bytes. */
    private static byte[] read(EmbeddedChannel ch) {
        ch.pipeline().get(Client.class).read();
        ch.runPendingTasks();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            out.writeBytes(bytes);
            b.release();
        }
        return out.toByteArray();
    }

    private static long queued(EmbeddedChannel ch) {
        return ServerCounters.pendingBytes(ch);
    }

    /** Stops the output (the server drains), lets the client read what was queued, and closes. */
    private static void finish(EmbeddedChannel ch) {
        ch.pipeline().fireUserEventTriggered(ConnectionEvents.Draining.INSTANCE);
        read(ch);
        ch.finishAndReleaseAll();
    }

    private static byte[] chargen(long offset, int length) {
        ByteBuffer b = ByteBuffer.allocate(length);
        Service.CHARGEN.output().fill(offset, b);
        return b.array();
    }

    @Test
    void outputStartsWhenTheClientIsAdmittedAndGoesAsFastAsTheClientReadsAndNoFaster() {
        EmbeddedChannel ch = channel(OutputHandler.Start.ADMITTED);
        assertThat(queued(ch)).as("nothing before the client is admitted").isZero();
        ch.pipeline().fireUserEventTriggered(PEER_KNOWN);
        long high = ch.config().getWriteBufferHighWaterMark();
        assertThat(ch.isWritable()).as("written up to the high-water mark").isFalse();
        long waiting = queued(ch);
        ch.runPendingTasks();
        ch.pipeline().fireChannelReadComplete();
        assertThat(queued(ch)).as("a client that does not read gets nothing more queued").isEqualTo(waiting);

        byte[] first = read(ch);
        assertThat(first.length).as("up to the high-water mark and one chunk").isGreaterThanOrEqualTo((int) high - OutputHandler.CHUNK)
                .isLessThanOrEqualTo((int) high + OutputHandler.CHUNK);
        assertThat(first).isEqualTo(chargen(0, first.length));
        assertThat(ch.isWritable()).as("reading made room: it went on").isFalse();
        byte[] next = read(ch);
        assertThat(next.length).isPositive();
        assertThat(next).as("one stream across chunks and bursts").isEqualTo(chargen(first.length, next.length));
        finish(ch);
    }

    @Test
    void outputStopsWhenTheClientCloses() {
        EmbeddedChannel ch = channel(OutputHandler.Start.ADMITTED);
        ch.pipeline().fireUserEventTriggered(PEER_KNOWN);
        read(ch);
        ch.pipeline().fireChannelInactive();
        assertThat(read(ch)).as("what was queued goes").isNotEmpty();
        assertThat(read(ch)).as("and nothing after").isEmpty();
        ch.finishAndReleaseAll();
    }

    @Test
    void behindTlsOrTheHandshakeOutputWaitsForThem() {
        EmbeddedChannel tls = channel(OutputHandler.Start.TLS);
        tls.pipeline().fireUserEventTriggered(PEER_KNOWN);
        tls.pipeline().fireUserEventTriggered(new SslHandshakeCompletionEvent(new javax.net.ssl.SSLException("no")));
        assertThat(queued(tls)).as("not on admission, nor after a failed TLS handshake").isZero();
        tls.pipeline().fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);
        assertThat(queued(tls)).isPositive();
        finish(tls);

        EmbeddedChannel keyed = channel(OutputHandler.Start.AUTHENTICATED);
        keyed.pipeline().fireUserEventTriggered(PEER_KNOWN);
        keyed.pipeline().fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);
        assertThat(queued(keyed)).as("not before the client proved its key").isZero();
        keyed.pipeline().fireUserEventTriggered(new ConnectionEvents.Authenticated("k1"));
        assertThat(queued(keyed)).isPositive();
        finish(keyed);
    }

    @Test
    void outputStopsAtTheClientsEndOfStreamAndWhenTheServerDrains() {
        for (Object stop : new Object[] {ChannelInputShutdownEvent.INSTANCE, ConnectionEvents.Draining.INSTANCE}) {
            EmbeddedChannel ch = channel(OutputHandler.Start.ADMITTED);
            ch.pipeline().fireUserEventTriggered(PEER_KNOWN);
            ch.pipeline().fireUserEventTriggered(stop);
            assertThat(read(ch)).as("what was queued still goes").isNotEmpty();
            assertThat(read(ch)).as("but nothing more after %s, though there is room", stop).isEmpty();
            ch.finishAndReleaseAll();
        }
    }
}
