package dev.jecho.internal.protocol.handshake;

import dev.jecho.Keyring;
import dev.jecho.internal.keys.Keys;
import dev.jecho.internal.keys.SharedKey;
import dev.jecho.internal.protocol.ConnectionEvents;
import dev.jecho.internal.protocol.PipelineNames;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The server's side of the jecho handshake. Added when the connection is accepted, it starts the
 * authentication deadline (absolute, counted from accept: bytes arriving do not extend it), sends the
 * server hello, reads the client's auth message whole however it is segmented, and checks the proof.
 *
 * <p>Success: sends its own proof, installs the session record layer behind itself, fires
 * {@link ConnectionEvents.Authenticated} and removes itself (bytes it still held go on to the record
 * layer). Failure, one attempt only: one {@link HandshakeFormat#FAILURE} byte, close, and
 * {@link ConnectionEvents.AuthenticationFailed} with the reason, which never reaches the peer.
 */
public final class ServerHandshakeHandler extends ServerGreetingHandshake {

    private final Keys keys;
    private final byte[] serverNonce;

    /**
     * @param deadlineNanos how long after accept the handshake must be complete
     */
    public ServerHandshakeHandler(Keyring keys, long deadlineNanos) {
        this(keys, deadlineNanos, HandshakeCrypto.newNonce());
    }

    /** With a chosen nonce: for the test vectors only. */
    ServerHandshakeHandler(Keyring keys, long deadlineNanos, byte[] serverNonce) {
        super(deadlineNanos);
        this.keys = Keys.of(keys);
        this.serverNonce = serverNonce.clone();
    }

    @Override
    ByteBuf greeting(ChannelHandlerContext ctx) {
        return ctx.alloc().buffer(HandshakeFormat.SERVER_HELLO_LENGTH)
                .writeBytes(HandshakeFormat.MAGIC)
                .writeByte(HandshakeFormat.VERSION)
                .writeBytes(serverNonce);
    }

    @Override
    void answer(ChannelHandlerContext ctx, ByteBuf in) {
        int start = in.readerIndex();
        int available = in.readableBytes();
        int magicBytes = Math.min(available, HandshakeFormat.MAGIC.length);
        for (int i = 0; i < magicBytes; i++) {
            if (in.getByte(start + i) != HandshakeFormat.MAGIC[i]) {
                fail(ctx, in, "bad_magic");
                return;
            }
        }
        if (available <= HandshakeFormat.MAGIC.length) {
            return;
        }
        if (in.getByte(start + HandshakeFormat.MAGIC.length) != HandshakeFormat.VERSION) {
            fail(ctx, in, "bad_version");
            return;
        }
        if (available < HandshakeFormat.CLIENT_AUTH_PREFIX) {
            return;
        }
        int idLength = in.getUnsignedByte(start + HandshakeFormat.CLIENT_AUTH_PREFIX - 1);
        if (idLength > HandshakeFormat.MAX_KEY_ID_LENGTH) {
            fail(ctx, in, "bad_format");
            return;
        }
        int length = HandshakeFormat.CLIENT_AUTH_PREFIX + idLength + HandshakeFormat.NONCE_LENGTH + HandshakeFormat.PROOF_LENGTH;
        if (available < length) {
            return;
        }
        in.skipBytes(HandshakeFormat.CLIENT_AUTH_PREFIX);
        String keyId = in.readCharSequence(idLength, StandardCharsets.US_ASCII).toString();
        byte[] clientNonce = new byte[HandshakeFormat.NONCE_LENGTH];
        in.readBytes(clientNonce);
        byte[] proof = new byte[HandshakeFormat.PROOF_LENGTH];
        in.readBytes(proof);

        SharedKey key = keys.find(keyId);
        if (key == null) {
            fail(ctx, in, "unknown_key");
            return;
        }
        byte[] transcript = HandshakeCrypto.transcript(serverNonce, clientNonce, keyId,
                ChannelBinding.of(ctx.pipeline(), true));
        if (!MessageDigest.isEqual(proof, HandshakeCrypto.clientProof(key.spec(), transcript))) {
            fail(ctx, in, "bad_proof");
            return;
        }
        succeed(ctx, key, clientNonce, transcript);
    }

    private void succeed(ChannelHandlerContext ctx, SharedKey key, byte[] clientNonce, byte[] transcript) {
        finish();
        ByteBuf reply = ctx.alloc().buffer(HandshakeFormat.SERVER_AUTH_LENGTH)
                .writeByte(HandshakeFormat.ACCEPTED)
                .writeBytes(HandshakeCrypto.serverProof(key.spec(), transcript));
        ctx.writeAndFlush(reply, ctx.voidPromise());
        HandshakeCrypto.SessionKeys sessionKeys = HandshakeCrypto.sessionKeys(key.spec(), serverNonce, clientNonce, transcript);
        ctx.pipeline().addAfter(ctx.name(), PipelineNames.RECORD_FRAMER, SessionRecordCodec.newFramer());
        ctx.pipeline().addAfter(PipelineNames.RECORD_FRAMER, PipelineNames.RECORDS, SessionRecordCodec.forServer(sessionKeys));
        ctx.pipeline().fireUserEventTriggered(new ConnectionEvents.Authenticated(key.id()));
        ctx.pipeline().remove(this);
    }

    private void fail(ChannelHandlerContext ctx, ByteBuf in, String reason) {
        finish();
        in.skipBytes(in.readableBytes());
        ctx.pipeline().fireUserEventTriggered(new ConnectionEvents.AuthenticationFailed(reason));
        ctx.writeAndFlush(ctx.alloc().buffer(1).writeByte(HandshakeFormat.FAILURE))
                .addListener(ChannelFutureListener.CLOSE);
    }
}
