package dev.jecho.internal.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * One request at a time, when its owner asks: the handler of {@code connect} mode (one exchange, then
 * close) and {@code hold} mode (one exchange to open, one at the end to prove the connection alive).
 */
final class SingleExchange extends LoadHandler {

    private static final Logger LOG = LoggerFactory.getLogger(SingleExchange.class);

    /** Hears what happens to the connection; every call comes on its event loop. */
    interface Owner {
        /** The connection can carry messages. */
        void ready(SingleExchange exchange);

        /** The reply came whole and as expected. */
        void replied(SingleExchange exchange, long sentNanos, long doneNanos, int size);

        /**
         * The connection failed (it is being closed); called at most once, never after {@link #close}.
         *
         * @param cause what failed, when known (a {@code connect} failure: why TLS or the handshake failed), or null
         */
        void failed(SingleExchange exchange, ErrorClass kind, Throwable cause);
    }

    private final Owner owner;
    private final MessageCodec.ReplyReader reader;
    private long seq;
    private int size;
    private long sentAt;
    private boolean pending;
    private ScheduledFuture<?> timer;

    SingleExchange(Owner owner, RunContext run) {
        super(run);
        this.owner = owner;
        this.reader = run.codec.newReader();
    }

    @Override
    void sessionReady() {
        owner.ready(this);
    }

    @Override
    void countSetupFailure(Throwable cause) {
        owner.failed(this, ErrorClass.CONNECT, cause);
    }

    /** Sends one request; call on the channel's event loop, once the previous reply came. */
    void exchange() {
        if (finished || pending) {
            return;
        }
        seq++;
        size = run.nextSize();
        pending = true;
        sentAt = System.nanoTime();
        ctx.writeAndFlush(run.codec.request(ctx.alloc(), seq, size), ctx.voidPromise());
        timer = ctx.executor().schedule(() -> fail(ErrorClass.TIMEOUT, null), run.timeoutNanos, TimeUnit.NANOSECONDS);
    }

    io.netty.channel.Channel channel() {
        return ctx.channel();
    }

    /** Whether the connection is open and not failed. */
    boolean usable() {
        return !finished && ctx != null && ctx.channel().isActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            if (finished) {
                return;
            }
            if (!pending) {
                fail(ErrorClass.MISMATCH, null); // bytes nobody asked for
                return;
            }
            int verdict = reader.read(in, seq, size);
            if (verdict == MessageCodec.MISMATCH || (verdict == MessageCodec.COMPLETE && in.isReadable())) {
                fail(ErrorClass.MISMATCH, null);
            } else if (verdict == MessageCodec.COMPLETE) {
                pending = false;
                timer.cancel(false);
                owner.replied(this, sentAt, System.nanoTime(), size);
            }
        } finally {
            in.release();
        }
    }

    /** Closes the connection without counting an error. */
    void close() {
        finished = true;
        if (timer != null) {
            timer.cancel(false);
        }
        ctx.close();
    }

    @Override
    void fail(ErrorClass kind, Throwable cause) {
        if (finished) {
            return;
        }
        finished = true;
        if (timer != null) {
            timer.cancel(false);
        }
        if (cause != null) {
            LOG.debug("{}: {} error: {}", ctx.channel(), kind.key(), cause.toString());
        }
        owner.failed(this, kind, cause);
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(ErrorClass.CLOSED, null);
        ctx.fireChannelInactive();
    }
}
