package dev.jecho.internal.protocol.handshake;

import dev.jecho.internal.protocol.ConnectionEvents;
import dev.jecho.internal.protocol.PipelineNames;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the server's handshakes (jecho's and the article's) share around their own messages: a deadline
 * absolute from accept (bytes arriving do not extend it), a greeting sent first (once the connection is
 * admitted), one attempt, and the reason reported for a connection that ends before its attempt is over:
 * {@code timeout} (the deadline passed), {@code truncated} (the client's end of stream came in the middle of
 * its answer) or {@code disconnected} (before its first byte). The deadline and the end of stream are
 * reported before the connection closes, so that the close line names them; a connection closed by
 * anything else is reported as it goes inactive. A subclass says what the greeting is and reads the
 * client's answer.
 */
abstract class ServerGreetingHandshake extends ByteToMessageDecoder {

    /** The {@link ConnectionEvents.AuthenticationFailed} reasons of a client that did not finish (docs/protocol.md). */
    static final String TIMEOUT = "timeout";
    static final String TRUNCATED = "truncated";
    static final String DISCONNECTED = "disconnected";

    private final long deadlineNanos;
    private ScheduledFuture<?> deadline;
    private boolean deadlinePassed;
    private boolean active;
    private boolean greeted;
    private boolean finished;
    /** Some of the client's answer has arrived. */
    private boolean answerStarted;

    /** @param deadlineNanos how long after accept the handshake must be complete */
    ServerGreetingHandshake(long deadlineNanos) {
        this.deadlineNanos = deadlineNanos;
    }

    /** The server's first bytes. */
    abstract ByteBuf greeting(ChannelHandlerContext ctx);

    /**
     * Reads the client's answer from {@code in}: returns while it is incomplete, and once it is whole
     * calls {@link #finish()} and succeeds (removing this handler) or fails (closing the connection).
     */
    abstract void answer(ChannelHandlerContext ctx, ByteBuf in);

    /** The one attempt is over, the deadline with it. */
    final void finish() {
        finished = true;
        deadline.cancel(false);
    }

    /**
     * Starts the deadline. The greeting waits for {@code channelActive}, which a directly connected client's
     * connection gets once its pipeline is built and its address is known: a connection refused by a limit by
     * then is closed without a word, and a write cannot close it before the stages before this one have seen
     * it open. Behind a PROXY protocol header the client is known (and admitted or refused) only once the
     * header is read: the greeting waits for that {@link ConnectionEvents.PeerKnown}, which a refused
     * connection never passes on. Behind TLS it waits for TLS.
     */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        deadline = ctx.executor().schedule(() -> {
            deadlinePassed = true;
            if (!finished) {
                giveUp(ctx, TIMEOUT);
            }
            ctx.channel().close();
        }, deadlineNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        active = true;
        if (!behindTls(ctx) && !behindProxyHeader(ctx)) {
            greet(ctx);
        }
        super.channelActive(ctx);
    }

    /** The PROXY header stage is still reading the header that names the client, and admission follows it. */
    private static boolean behindProxyHeader(ChannelHandlerContext ctx) {
        return ctx.pipeline().get(PipelineNames.PROXY_HEADER) != null;
    }

    /** Behind TLS the first bytes go out once TLS is up: nothing waits inside the SslHandler meanwhile. */
    private static boolean behindTls(ChannelHandlerContext ctx) {
        return ctx.pipeline().get(SslHandler.class) != null;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent tls && tls.isSuccess()) {
            greet(ctx);
        } else if (evt instanceof ChannelInputShutdownEvent && !finished) {
            // The client can send nothing more: its one attempt ends here, before the end of the pipeline closes.
            giveUp(ctx, hungUpReason());
        } else if (evt instanceof ConnectionEvents.PeerKnown && active && !behindTls(ctx)) {
            greet(ctx); // after a PROXY header; a direct client's PeerKnown comes before channelActive
        }
        super.userEventTriggered(ctx, evt);
    }

    private void greet(ChannelHandlerContext ctx) {
        if (greeted || !ctx.channel().isActive()) {
            return; // sent, or refused and closed already
        }
        greeted = true;
        ctx.writeAndFlush(greeting(ctx), ctx.voidPromise());
    }

    @Override
    protected final void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (finished) {
            in.skipBytes(in.readableBytes()); // one attempt per connection: the rest is ignored while closing
            return;
        }
        answerStarted = true;
        answer(ctx, in);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (!finished) {
            // Past the deadline is a timeout even if something else (a sweeper, a limit) closed the connection.
            boolean late = deadlinePassed || deadline.getDelay(TimeUnit.NANOSECONDS) <= 0;
            giveUp(ctx, late ? TIMEOUT : hungUpReason());
        }
        super.channelInactive(ctx);
    }

    /** The client went away without finishing: in the middle of its answer, or before it. */
    private String hungUpReason() {
        return answerStarted ? TRUNCATED : DISCONNECTED;
    }

    /** Ends the one attempt without an answer, and says why. */
    private void giveUp(ChannelHandlerContext ctx, String reason) {
        finish();
        ctx.pipeline().fireUserEventTriggered(new ConnectionEvents.AuthenticationFailed(reason));
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        if (deadline != null) {
            deadline.cancel(false);
        }
    }
}
