package dev.jecho.metrics;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * The time a metrics connection may take: its first whole request within {@code requestNanos} of opening,
 * each next one within {@code keepAliveNanos} of the response before it; otherwise it is closed. Both
 * deadlines are absolute, so bytes trickling in (a header line a byte at a time) do not extend them, and
 * no deadline runs while the connection is being answered. One timer per connection, on the metrics loop.
 * It sits behind the aggregator: it sees whole requests coming in and whole responses going out.
 */
final class HttpDeadline extends ChannelDuplexHandler {

    private final long requestNanos;
    private final long keepAliveNanos;
    private ScheduledFuture<?> timer;
    private boolean answering;

    HttpDeadline(long requestNanos, long keepAliveNanos) {
        this.requestNanos = requestNanos;
        this.keepAliveNanos = keepAliveNanos;
    }

    /** True while {@code ch} has a request in hand that is not answered yet. */
    static boolean answering(Channel ch) {
        HttpDeadline deadline = ch.pipeline().get(HttpDeadline.class);
        return deadline != null && deadline.answering;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        arm(ctx, requestNanos);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
            cancel();
            answering = true;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof LastHttpContent) { // a FullHttpResponse is one: the response is complete
            answering = false;
            arm(ctx, keepAliveNanos);
        }
        ctx.write(msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    private void arm(ChannelHandlerContext ctx, long nanos) {
        cancel();
        timer = ctx.executor().schedule(() -> {
            ctx.close(); // a request on its way, or none: either way, no answer is owed
        }, nanos, TimeUnit.NANOSECONDS);
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
