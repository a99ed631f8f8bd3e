package dev.jecho.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * JSON mode's reply matching: the server answers every message with exactly one framed message (the
 * value, or an error object), in order, so the n-th frame is the reply to the n-th request. With
 * {@code maxInFlight} 1 the next request waits for the previous reply (the article's server reads each
 * message with one {@code recv()}, so two in flight could arrive as one).
 */
final class MessageReplies extends ChannelDuplexHandler {

    private final class Pending {
        final byte[] message;
        final CompletableFuture<byte[]> future;
        ScheduledFuture<?> timer;

        Pending(byte[] message, CompletableFuture<byte[]> future) {
            this.message = message;
            this.future = future;
        }
    }

    private final ArrayDeque<Pending> sent = new ArrayDeque<>();
    private final ArrayDeque<Pending> held = new ArrayDeque<>();
    private final long timeoutNanos;
    private final String peer;
    private final byte[] terminator;
    private final int maxInFlight;

    /**
     * @param terminator written after each message ({@code "\n"} for JSON Lines, nothing for the legacy wire)
     */
    MessageReplies(long timeoutNanos, String peer, byte[] terminator, int maxInFlight) {
        this.timeoutNanos = timeoutNanos;
        this.peer = peer;
        this.terminator = terminator;
        this.maxInFlight = maxInFlight;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof ReplyAssembler.Request request)) {
            ctx.write(msg, promise);
            return;
        }
        Pending p = new Pending(request.message(), request.reply());
        if (sent.size() < maxInFlight) {
            transmit(ctx, p, promise);
        } else {
            held.add(p);
            promise.setSuccess();
        }
    }

    private void transmit(ChannelHandlerContext ctx, Pending p, ChannelPromise promise) {
        sent.add(p);
        p.timer = ctx.executor().schedule(() -> timedOut(ctx, p), timeoutNanos, TimeUnit.NANOSECONDS);
        ByteBuf out = ctx.alloc().buffer(p.message.length + terminator.length).writeBytes(p.message).writeBytes(terminator);
        ctx.write(out, promise);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        try {
            Pending p = sent.poll();
            if (p == null) {
                return; // a reply nobody asked for
            }
            p.timer.cancel(false);
            p.future.complete(ByteBufUtil.getBytes(frame));
            Pending next = held.poll();
            if (next != null) {
                transmit(ctx, next, ctx.newPromise());
                ctx.flush();
            }
        } finally {
            frame.release();
        }
    }

    private void timedOut(ChannelHandlerContext ctx, Pending p) {
        if (!p.future.isDone()) {
            failAll(new ClientException(ClientException.Reason.TIMEOUT,
                    "no reply from " + peer + " within " + ReplyAssembler.formatNanos(timeoutNanos)));
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        failAll(new ClientException(ClientException.Reason.CLOSED, "the server closed the connection"));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        String what = cause instanceof TooLongFrameException ? "a reply longer than the client accepts: " + cause.getMessage()
                : cause.getMessage();
        failAll(new ClientException(ClientException.Reason.IO, "connection to " + peer + " failed: " + what, cause));
        ctx.close();
    }

    private void failAll(ClientException e) {
        for (ArrayDeque<Pending> queue : java.util.List.of(sent, held)) {
            Pending p;
            while ((p = queue.poll()) != null) {
                if (p.timer != null) {
                    p.timer.cancel(false);
                }
                p.future.completeExceptionally(e);
            }
        }
    }
}
