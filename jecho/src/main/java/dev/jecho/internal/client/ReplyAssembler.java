package dev.jecho.internal.client;

import dev.jecho.ClientException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Reads TCP replies whole, and checks them. The services preserve length, so the reply to a message of N
 * bytes is the next N bytes of the stream, however the network splits or joins them; requests may be
 * pipelined. A reply is the message itself ({@code echo}) or its ASCII upper case ({@code upper}), checked
 * as its bytes arrive: a reply that is neither, or bytes nobody asked for, is a server speaking something
 * else. That fails every reply of the connection, none of them is delivered, and the failure says what
 * the server is when {@link ServerOpening} recognises it. A reply that does not arrive in time fails and
 * closes the connection (the stream is out of step).
 */
final class ReplyAssembler extends ChannelDuplexHandler {

    /** A message on its way out, with the future its reply completes. */
    record Request(byte[] message, CompletableFuture<byte[]> reply) {
    }

    private final class Pending {
        final byte[] message;
        final CompletableFuture<byte[]> future;
        final byte[] reply;
        int filled;
        /** Which service the bytes so far can come from. */
        boolean echo = true;
        boolean upper = true;
        ScheduledFuture<?> timer;

        Pending(byte[] message, CompletableFuture<byte[]> future) {
            this.message = message;
            this.future = future;
            this.reply = new byte[message.length];
        }

        /** Takes what {@code in} holds of this reply; false once it is neither the message nor its upper case. */
        boolean take(ByteBuf in) {
            int n = Math.min(in.readableBytes(), reply.length - filled);
            in.readBytes(reply, filled, n);
            for (int i = filled; i < filled + n; i++) {
                echo &= reply[i] == message[i];
                upper &= reply[i] == ServerOpening.upper(message[i]);
            }
            filled += n;
            return echo || upper;
        }

        boolean whole() {
            return filled == reply.length;
        }
    }

    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final long timeoutNanos;
    private final String peer;
    private final ServerOpening opening;
    /** Whether a reply has been delivered: what the first bytes were tells nothing after that. */
    private boolean answered;
    private long replyBytes;

    ReplyAssembler(long timeoutNanos, String peer, ServerOpening opening) {
        this.timeoutNanos = timeoutNanos;
        this.peer = peer;
        this.opening = opening;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof Request request)) {
            ctx.write(msg, promise);
            return;
        }
        Pending p = new Pending(request.message(), request.reply());
        pending.add(p);
        p.timer = ctx.executor().schedule(() -> timedOut(ctx, p), timeoutNanos, TimeUnit.NANOSECONDS);
        ctx.write(ctx.alloc().buffer(request.message().length).writeBytes(request.message()), promise);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        // Replies completed by this read are delivered only once all of it checked out: the first bytes of
        // jecho's hello can pass for the upper case of a short message, the rest of it cannot.
        List<Pending> whole = new ArrayList<>(1);
        try {
            replyBytes += in.readableBytes();
            while (in.isReadable()) {
                Pending p = pending.peek();
                if (p == null) {
                    byte[] extra = new byte[Math.min(in.readableBytes(), 9)];
                    in.getBytes(in.readerIndex(), extra);
                    fail(ctx, whole, mismatch(peer + " sent bytes nobody asked for (0x" + ServerOpening.hex(extra, extra.length)
                            + "; " + ServerOpening.OPTIONS + ")"));
                    return;
                }
                if (!p.take(in)) {
                    fail(ctx, whole, mismatch("the reply from " + peer + " is not an echo of the message (sent 0x"
                            + ServerOpening.hex(p.message, p.message.length) + ", got 0x"
                            + ServerOpening.hex(p.reply, p.filled) + "; " + ServerOpening.OPTIONS + ")"));
                    return;
                }
                if (p.whole()) {
                    pending.poll();
                    p.timer.cancel(false);
                    whole.add(p);
                }
            }
            for (Pending p : whole) {
                answered = true;
                p.future.complete(p.reply);
            }
        } finally {
            in.release();
        }
    }

    private ClientException mismatch(String otherwise) {
        return answered ? new ClientException(ClientException.Reason.AUTH, otherwise) : opening.mismatch(otherwise);
    }

    private void timedOut(ChannelHandlerContext ctx, Pending p) {
        if (!p.future.isDone()) {
            // A --json server answers whole lines only, and a raw message has no newline: it never answers.
            String hint = replyBytes == 0 ? "; a --json server answers whole lines only: use --json" : "";
            failAll(ctx, new ClientException(ClientException.Reason.TIMEOUT,
                    "no complete reply from " + peer + " within " + formatNanos(timeoutNanos)
                            + " (got " + p.filled + " of " + p.reply.length + " bytes" + hint + ")"));
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        failAll(ctx, opening.closed());
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        failAll(ctx, ConnectionFailure.describe(cause, peer, opening));
        ctx.close();
    }

    private void fail(ChannelHandlerContext ctx, List<Pending> whole, ClientException e) {
        ClientException first = ConnectionFailure.record(ctx.channel(), e);
        for (Pending p : whole) {
            p.future.completeExceptionally(first);
        }
        failAll(ctx, first);
        ctx.close();
    }

    private void failAll(ChannelHandlerContext ctx, ClientException e) {
        ClientException first = ConnectionFailure.record(ctx.channel(), e);
        Pending p;
        while ((p = pending.poll()) != null) {
            p.timer.cancel(false);
            p.future.completeExceptionally(first);
        }
    }

    static String formatNanos(long nanos) {
        long ms = TimeUnit.NANOSECONDS.toMillis(nanos);
        return ms % 1000 == 0 ? (ms / 1000) + " s" : ms + " ms";
    }
}
