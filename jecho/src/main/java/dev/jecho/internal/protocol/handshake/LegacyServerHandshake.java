package dev.jecho.internal.protocol.handshake;

import dev.jecho.Keyring;
import dev.jecho.LegacyDigest;
import dev.jecho.internal.keys.Keys;
import dev.jecho.internal.keys.SharedKey;
import dev.jecho.internal.protocol.ConnectionEvents;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

import java.security.MessageDigest;

/**
 * The article's handshake, wire-compatible: 32 random bytes to the client, its raw HMAC digest of them
 * back (16 bytes for MD5, 32 for SHA-256), read whole. It authenticates the client only and protects no
 * message; jecho adds what the article lacks where the wire allows: a deadline from accept, one attempt,
 * and a close on failure (no failure byte: the article's client would read it as JSON).
 */
public final class LegacyServerHandshake extends ServerGreetingHandshake {

    public static final int NONCE_LENGTH = 32;

    private final Keys keys;
    private final LegacyDigest digest;
    private final byte[] nonce = new byte[NONCE_LENGTH];

    public LegacyServerHandshake(Keyring keys, LegacyDigest digest, long deadlineNanos) {
        super(deadlineNanos);
        this.keys = Keys.of(keys);
        this.digest = digest;
        HandshakeCrypto.random().nextBytes(nonce);
    }

    @Override
    ByteBuf greeting(ChannelHandlerContext ctx) {
        return ctx.alloc().buffer(NONCE_LENGTH).writeBytes(nonce);
    }

    @Override
    void answer(ChannelHandlerContext ctx, ByteBuf in) {
        if (in.readableBytes() < digest.length()) {
            return;
        }
        byte[] answer = new byte[digest.length()];
        in.readBytes(answer);
        finish();
        for (SharedKey key : keys.all()) {
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
}
