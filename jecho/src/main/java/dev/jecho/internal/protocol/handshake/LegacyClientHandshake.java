package dev.jecho.internal.protocol.handshake;

import dev.jecho.LegacyDigest;
import dev.jecho.internal.keys.SharedKey;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The article's client handshake: read the server's 32 bytes, answer with the raw HMAC digest. The
 * article's server reads that digest with a single {@code recv(1024)}, so a message sent right behind it
 * could be read as part of it; {@link #result()} completes a short pause ({@link #SETTLE_MILLIS}) after
 * the digest is written. The article's server never says whether it accepted the key.
 */
public final class LegacyClientHandshake extends ByteToMessageDecoder {

    /** The pause after the digest before the first message (the article's user types in between). */
    public static final long SETTLE_MILLIS = 100;

    private final SharedKey key;
    private final LegacyDigest digest;
    private final String server;
    private final CompletableFuture<Void> result = new CompletableFuture<>();
    private boolean answered;

    public LegacyClientHandshake(SharedKey key, LegacyDigest digest, String server) {
        this.key = key;
        this.digest = digest;
        this.server = server;
    }

    public CompletableFuture<Void> result() {
        return result;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (answered || in.readableBytes() < LegacyServerHandshake.NONCE_LENGTH) {
            return;
        }
        answered = true;
        byte[] nonce = new byte[LegacyServerHandshake.NONCE_LENGTH];
        in.readBytes(nonce);
        ctx.writeAndFlush(ctx.alloc().buffer(digest.length()).writeBytes(digest.hmac(key.secret(), nonce)));
        ctx.executor().schedule(() -> {
            if (ctx.channel().isActive() && !ctx.isRemoved()) {
                ctx.pipeline().remove(this);
                result.complete(null);
            }
        }, SETTLE_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        result.completeExceptionally(new HandshakeException(HandshakeException.Kind.CLOSED,
                server + " closed the connection during the legacy handshake"
                        + (answered ? " (it rejected our key?)" : "")));
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        result.completeExceptionally(cause);
        ctx.fireExceptionCaught(cause);
    }
}
