package dev.jecho.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Reads TCP replies whole. The services preserve length, so the reply to a message of N bytes is the
 * next N bytes of the stream, however the network splits or joins them; requests may be pipelined. A
 * reply that does not arrive in time fails and closes the connection (the stream is out of step).
 */
final class ReplyAssembler extends ChannelDuplexHandler {

    /** A message on its way out, with the future its reply completes. */
    record Request(byte[] message, CompletableFuture<byte[]> reply) {
    }

    private final class Pending {
        final CompletableFuture<byte[]> future;
        final byte[] reply;
        int filled;
        ScheduledFuture<?> timer;

        Pending(CompletableFuture<byte[]> future, int length) {
            this.future = future;
            this.reply = new byte[length];
        }
    }

    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final long timeoutNanos;
    private final String peer;

    ReplyAssembler(long timeoutNanos, String peer) {
        this.timeoutNanos = timeoutNanos;
        this.peer = peer;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof Request request)) {
            ctx.write(msg, promise);
            return;
        }
        Pending p = new Pending(request.reply(), request.message().length);
        pending.add(p);
        p.timer = ctx.executor().schedule(() -> timedOut(ctx, p), timeoutNanos, TimeUnit.NANOSECONDS);
        ctx.write(ctx.alloc().buffer(request.message().length).writeBytes(request.message()), promise);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            while (in.isReadable() && !pending.isEmpty()) {
                Pending p = pending.peek();
                int n = Math.min(in.readableBytes(), p.reply.length - p.filled);
                in.readBytes(p.reply, p.filled, n);
                p.filled += n;
                if (p.filled == p.reply.length) {
                    pending.poll();
                    p.timer.cancel(false);
                    p.future.complete(p.reply);
                }
            }
            // Bytes nobody asked for (a server that does not preserve length) are dropped.
        } finally {
            in.release();
        }
    }

    private void timedOut(ChannelHandlerContext ctx, Pending p) {
        if (!p.future.isDone()) {
            failAll(new ClientException(ClientException.Reason.TIMEOUT,
                    "no complete reply from " + peer + " within " + formatNanos(timeoutNanos)
                            + " (got " + p.filled + " of " + p.reply.length + " bytes)"));
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
        failAll(new ClientException(ClientException.Reason.IO, "connection to " + peer + " failed: " + cause.getMessage(), cause));
        ctx.close();
    }

    private void failAll(ClientException e) {
        Pending p;
        while ((p = pending.poll()) != null) {
            p.timer.cancel(false);
            p.future.completeExceptionally(e);
        }
    }

    static String formatNanos(long nanos) {
        long ms = TimeUnit.NANOSECONDS.toMillis(nanos);
        return ms % 1000 == 0 ? (ms / 1000) + " s" : ms + " ms";
    }
}
