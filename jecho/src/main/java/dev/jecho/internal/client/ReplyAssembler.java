package dev.jecho.internal.client;

import dev.jecho.ClientException;
import dev.jecho.Service;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Reads TCP replies whole, and checks them, by asking the service what it gives ({@link Expected}): the
 * reply to a message is the next bytes of the stream, as long as that reply, however the network splits or
 * joins them; requests may be pipelined. With no service named, a reply is what any registered byte service
 * gives for the message (its echo, its upper case), each reply deciding for itself. It is checked as its
 * bytes arrive: a reply that is none of them, or bytes nobody asked for, is a server speaking something
 * else. That fails every reply of the connection, none of them is delivered, and the failure says what the
 * server is when {@link ServerOpening} recognises it. A reply that does not arrive in time fails and closes
 * the connection (the stream is out of step).
 */
final class ReplyAssembler extends ChannelDuplexHandler {

    /** A message on its way out, with the future its reply completes. */
    record Request(byte[] message, CompletableFuture<byte[]> reply) {
    }

    private final class Pending {
        final byte[] message;
        final CompletableFuture<byte[]> future;
        /** Per candidate service, the reply it would send; null once the bytes so far rule it out. */
        final byte[][] expected;
        final byte[] reply;
        int filled;
        ScheduledFuture<?> timer;

        Pending(byte[] message, CompletableFuture<byte[]> future) {
            this.message = message;
            this.future = future;
            this.expected = expectation.replies(message);
            int longest = 0;
            for (byte[] e : expected) {
                longest = e == null ? longest : Math.max(longest, e.length);
            }
            this.reply = new byte[longest];
        }

        /**
         * Takes what {@code in} holds of this reply, no further than the shortest reply still possible; false
         * once it is no candidate's.
         */
        boolean take(ByteBuf in) {
            while (in.isReadable() && !whole()) {
                int n = Math.min(in.readableBytes(), shortestLeft());
                in.readBytes(reply, filled, n);
                boolean possible = false;
                for (int c = 0; c < expected.length; c++) {
                    byte[] e = expected[c];
                    if (e != null && !Arrays.equals(reply, filled, filled + n, e, filled, filled + n)) {
                        expected[c] = null;
                    }
                    possible |= expected[c] != null;
                }
                filled += n;
                if (!possible) {
                    return false;
                }
            }
            return true;
        }

        private int shortestLeft() {
            int left = Integer.MAX_VALUE;
            for (byte[] e : expected) {
                if (e != null) {
                    left = Math.min(left, e.length - filled);
                }
            }
            return left;
        }

        /** Whole once a candidate's whole reply came, the first in order winning. */
        boolean whole() {
            for (byte[] e : expected) {
                if (e != null && e.length == filled) {
                    return true;
                }
            }
            return false;
        }

        boolean possible() {
            for (byte[] e : expected) {
                if (e != null) {
                    return true;
                }
            }
            return false;
        }
    }

    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final long timeoutNanos;
    private final String peer;
    private final ServerOpening opening;
    private final Expected expectation;
    /** Whether a reply has been delivered: what the first bytes were tells nothing after that. */
    private boolean answered;
    private long replyBytes;

    /** Replies checked against the registered byte services (auto). */
    ReplyAssembler(long timeoutNanos, String peer, ServerOpening opening) {
        this(timeoutNanos, peer, opening, Expected.auto());
    }

    ReplyAssembler(long timeoutNanos, String peer, ServerOpening opening, Expected expectation) {
        this.timeoutNanos = timeoutNanos;
        this.peer = peer;
        this.opening = opening;
        this.expectation = expectation;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof Request request)) {
            ctx.write(msg, promise);
            return;
        }
        String refusal = expectation.refusal(request.message());
        if (refusal != null) {
            request.reply().completeExceptionally(new ClientException(ClientException.Reason.INVALID, refusal));
            promise.setSuccess();
            return;
        }
        Pending p = new Pending(request.message(), request.reply());
        byte[] wire = expectation.wire(request.message());
        if (!p.possible()) {
            Service named = expectation.named();
            request.reply().completeExceptionally(new ClientException(ClientException.Reason.INVALID,
                    (named == null ? "no service" : named.name()) + " gives no reply to this message, so there is none to wait for"));
            promise.setSuccess();
            return;
        }
        if (p.whole()) {
            // the service's reply to it is empty: nothing will come, and nothing needs to
            ctx.write(ctx.alloc().buffer(wire.length).writeBytes(wire), promise);
            p.future.complete(new byte[0]);
            return;
        }
        pending.add(p);
        p.timer = ctx.executor().schedule(() -> timedOut(ctx, p), timeoutNanos, TimeUnit.NANOSECONDS);
        ctx.write(ctx.alloc().buffer(wire.length).writeBytes(wire), promise);
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
                    fail(ctx, whole, mismatch(expectation.notTheReply(peer, p.message, p.reply, p.filled)
                            + "; " + ServerOpening.OPTIONS + ")"));
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
                p.future.complete(expectation.delivered(p.reply, p.filled));
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
            String hint = replyBytes == 0 ? nothingCameHint() : "";
            failAll(ctx, new ClientException(ClientException.Reason.TIMEOUT,
                    "no complete reply from " + peer + " within " + formatNanos(timeoutNanos)
                            + " (got " + p.filled + " of " + p.reply.length + " bytes" + hint + ")"));
            ctx.close();
        }
    }

    /**
     * Why nothing at all may have come back: a --json server answers whole lines only, and a raw message has
     * no newline; a service such as discard answers nothing.
     */
    private String nothingCameHint() {
        if (expectation.named() != null) {
            return "";
        }
        StringBuilder hint = new StringBuilder("; a --json server answers whole lines only: use --json");
        for (Service silent : Expected.silent()) {
            hint.append("; a ").append(silent.name()).append(" server answers nothing");
        }
        return hint.toString();
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
