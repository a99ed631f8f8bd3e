package dev.jecho.protocol.handshake;

import dev.jecho.keys.Keyring;
import dev.jecho.keys.SharedKey;
import dev.jecho.protocol.ConnectionEvents;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.ScheduledFuture;

import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The article's handshake, wire-compatible: 32 random bytes to the client, its raw HMAC digest of them
 * back (16 bytes for MD5, 32 for SHA-256), read whole. It authenticates the client only and protects no
 * message; jecho adds what the article lacks where the wire allows: a deadline from accept, one attempt,
 * and a close on failure (no failure byte: the article's client would read it as JSON).
 */
public final class LegacyServerHandshake extends ByteToMessageDecoder {

    public static final int NONCE_LENGTH = 32;

    private final Keyring keys;
    private final LegacyDigest digest;
    private final long deadlineNanos;
    private final byte[] nonce = new byte[NONCE_LENGTH];
    private ScheduledFuture<?> deadline;
    private boolean deadlinePassed;
    private boolean helloSent;
    private boolean finished;

    public LegacyServerHandshake(Keyring keys, LegacyDigest digest, long deadlineNanos) {
        this.keys = keys;
        this.digest = digest;
        this.deadlineNanos = deadlineNanos;
        HandshakeCrypto.random().nextBytes(nonce);
    }

    /** Starts the deadline; the nonce waits for {@code channelActive} (see {@link ServerHandshakeHandler#handlerAdded}). */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        deadline = ctx.executor().schedule(() -> {
            deadlinePassed = true;
            ctx.channel().close();
        }, deadlineNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (!behindTls(ctx)) {
            sendNonce(ctx);
        }
        super.channelActive(ctx);
    }

    /** Behind TLS the first bytes go out once TLS is up: nothing waits inside the SslHandler meanwhile. */
    private static boolean behindTls(ChannelHandlerContext ctx) {
        return ctx.pipeline().get(SslHandler.class) != null;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent tls && tls.isSuccess()) {
            sendNonce(ctx);
        }
        super.userEventTriggered(ctx, evt);
    }

    private void sendNonce(ChannelHandlerContext ctx) {
        if (!helloSent && ctx.channel().isActive()) {
            helloSent = true;
            ctx.writeAndFlush(ctx.alloc().buffer(NONCE_LENGTH).writeBytes(nonce), ctx.voidPromise());
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (finished) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < digest.length()) {
            return;
        }
        byte[] answer = new byte[digest.length()];
        in.readBytes(answer);
        finished = true;
        deadline.cancel(false);
        for (SharedKey key : keys.keys()) {
            if (MessageDigest.isEqual(answer, digest.hmac(key.secret(), nonce))) {
                ctx.pipeline().fireUserEventTriggered(new ConnectionEvents.Authenticated(key.id()));
                ctx.pipeline().remove(this);
                return;
            }
        }
        in.skipBytes(in.readableBytes());
        ctx.pipeline().fireUserEventTriggered(new ConnectionEvents.AuthenticationFailed("bad_proof"));
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (!finished) {
            finished = true;
            // Past the deadline is a timeout even if something else (a sweeper, a limit) closed the connection.
            boolean late = deadlinePassed || deadline.getDelay(TimeUnit.NANOSECONDS) <= 0;
            deadline.cancel(false);
            ctx.pipeline().fireUserEventTriggered(new ConnectionEvents.AuthenticationFailed(
                    late ? "timeout" : internalBuffer().isReadable() ? "truncated" : "disconnected"));
        }
        super.channelInactive(ctx);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        if (deadline != null) {
            deadline.cancel(false);
        }
    }
}
