package dev.jecho.internal.client;

import dev.jecho.ClientException;
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
 * message with one {@code recv()}, so two in flight could arrive as one). A frame that cannot be a JSON
 * value is a server speaking something else: it fails every reply, saying what the server is when
 * {@link ServerOpening} recognises it.
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
    private final ServerOpening opening;
    /** Whether a reply has been delivered: what the first bytes were tells nothing after that. */
    private boolean answered;

    /**
     * @param terminator written after each message ({@code "\n"} for JSON Lines, nothing for the legacy wire)
     */
    MessageReplies(long timeoutNanos, String peer, byte[] terminator, int maxInFlight, ServerOpening opening) {
        this.timeoutNanos = timeoutNanos;
        this.peer = peer;
        this.terminator = terminator;
        this.maxInFlight = maxInFlight;
        this.opening = opening;
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
            Pending p = sent.peek();
            if (p == null || !looksLikeJson(frame)) {
                String got = "0x" + ServerOpening.hex(frame);
                String otherwise = p == null ? peer + " sent a reply nobody asked for (" + got + "; " + ServerOpening.OPTIONS + ")"
                        : "the reply from " + peer + " is not JSON (" + got + "; " + ServerOpening.OPTIONS + ")";
                failAll(ctx, answered ? new ClientException(ClientException.Reason.AUTH, otherwise) : opening.mismatch(otherwise));
                ctx.close();
                return;
            }
            sent.poll();
            answered = true;
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

    /**
     * Whether a frame can be a JSON value: its first and last characters (whitespace aside) can begin and
     * end one. Cheap, and enough to tell a reply from a handshake hello, a TLS record or random bytes.
     */
    static boolean looksLikeJson(ByteBuf frame) {
        int first = frame.readerIndex();
        int last = frame.writerIndex() - 1;
        while (first <= last && isSpace(frame.getByte(first))) {
            first++;
        }
        while (last >= first && isSpace(frame.getByte(last))) {
            last--;
        }
        return first <= last && "{[\"-0123456789tfn".indexOf(frame.getByte(first)) >= 0
                && "}]\"0123456789el".indexOf(frame.getByte(last)) >= 0;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }

    private void timedOut(ChannelHandlerContext ctx, Pending p) {
        if (!p.future.isDone()) {
            failAll(ctx, !answered && opening.recognises() ? opening.mismatch(null)
                    : new ClientException(ClientException.Reason.TIMEOUT,
                    "no reply from " + peer + " within " + ReplyAssembler.formatNanos(timeoutNanos)));
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        failAll(ctx, !answered && opening.recognises() ? opening.mismatch(null) : opening.closed());
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        failAll(ctx, cause instanceof TooLongFrameException
                ? new ClientException(ClientException.Reason.IO,
                        "connection to " + peer + " failed: a reply longer than the client accepts: " + cause.getMessage(), cause)
                : ConnectionFailure.describe(cause, peer, opening));
        ctx.close();
    }

    private void failAll(ChannelHandlerContext ctx, ClientException failure) {
        ClientException e = ConnectionFailure.record(ctx.channel(), failure);
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
