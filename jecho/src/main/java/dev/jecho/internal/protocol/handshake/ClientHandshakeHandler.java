package dev.jecho.internal.protocol.handshake;

import dev.jecho.internal.keys.SharedKey;
import dev.jecho.internal.protocol.PipelineNames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The client's side of the jecho handshake: reads the server hello, answers with its key id, nonce and
 * proof, then checks the server's proof. Nothing else is written before that check passes, so a server
 * that does not hold the key (an impostor) never sees a message. On success it installs the session
 * record layer, removes itself and completes {@link #result()}; on failure it closes the connection and
 * completes it with a {@link HandshakeException} that says which of the cases it was.
 */
public final class ClientHandshakeHandler extends ByteToMessageDecoder {

    private final SharedKey key;
    private final String server;
    private final CompletableFuture<Void> result = new CompletableFuture<>();
    private byte[] serverNonce;
    private byte[] clientNonce;
    private byte[] transcript;

    /**
     * @param server how to name the server in messages ({@code tcp://127.0.0.1:8888})
     */
    public ClientHandshakeHandler(SharedKey key, String server) {
        this(key, server, null);
    }

    /** With a chosen nonce: for the test vectors only. */
    ClientHandshakeHandler(SharedKey key, String server, byte[] clientNonce) {
        this.key = key;
        this.server = server;
        this.clientNonce = clientNonce == null ? null : clientNonce.clone();
    }

    /** Completes when the session is established, or exceptionally with a {@link HandshakeException}. */
    public CompletableFuture<Void> result() {
        return result;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (result.isDone()) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (serverNonce == null) {
            readHello(ctx, in);
        } else {
            readServerAuth(ctx, in);
        }
    }

    private void readHello(ChannelHandlerContext ctx, ByteBuf in) {
        int start = in.readerIndex();
        int magicBytes = Math.min(in.readableBytes(), HandshakeFormat.MAGIC.length);
        for (int i = 0; i < magicBytes; i++) {
            if (in.getByte(start + i) != HandshakeFormat.MAGIC[i]) {
                fail(ctx, in, HandshakeException.Kind.NOT_JECHO, server + " does not speak the jecho handshake (it sent 0x"
                        + ByteBufUtil.hexDump(in, start, Math.min(in.readableBytes(), 8))
                        + "...; is it a jecho server with a secret, or is --legacy-auth needed?)");
                return;
            }
        }
        if (in.readableBytes() <= HandshakeFormat.MAGIC.length) {
            return;
        }
        int version = in.getUnsignedByte(start + HandshakeFormat.MAGIC.length);
        if (version != HandshakeFormat.VERSION) {
            fail(ctx, in, HandshakeException.Kind.NOT_JECHO, server + " speaks jecho handshake version " + version
                    + ", this client speaks version " + HandshakeFormat.VERSION + " (upgrade the older side)");
            return;
        }
        if (in.readableBytes() < HandshakeFormat.SERVER_HELLO_LENGTH) {
            return;
        }
        in.skipBytes(HandshakeFormat.MAGIC.length + 1);
        serverNonce = new byte[HandshakeFormat.NONCE_LENGTH];
        in.readBytes(serverNonce);
        if (clientNonce == null) {
            clientNonce = HandshakeCrypto.newNonce();
        }
        transcript = HandshakeCrypto.transcript(serverNonce, clientNonce, key.id(), ChannelBinding.of(ctx.pipeline(), false));
        byte[] id = key.id().getBytes(StandardCharsets.US_ASCII);
        ByteBuf auth = ctx.alloc().buffer(HandshakeFormat.CLIENT_AUTH_PREFIX + id.length + 64)
                .writeBytes(HandshakeFormat.MAGIC)
                .writeByte(HandshakeFormat.VERSION)
                .writeByte(id.length)
                .writeBytes(id)
                .writeBytes(clientNonce)
                .writeBytes(HandshakeCrypto.clientProof(key.spec(), transcript));
        ctx.writeAndFlush(auth, ctx.voidPromise());
    }

    private void readServerAuth(ChannelHandlerContext ctx, ByteBuf in) {
        if (!in.isReadable()) {
            return;
        }
        byte status = in.getByte(in.readerIndex());
        if (status == HandshakeFormat.FAILURE) {
            fail(ctx, in, HandshakeException.Kind.REJECTED, server + " rejected our key"
                    + (key.id().isEmpty() ? "" : " '" + key.id() + "'") + " (check that both sides use the same key file)");
            return;
        }
        if (status != HandshakeFormat.ACCEPTED) {
            fail(ctx, in, HandshakeException.Kind.NOT_JECHO, server + " does not speak the jecho handshake (unexpected reply 0x"
                    + ByteBufUtil.hexDump(in, in.readerIndex(), 1) + " to our proof)");
            return;
        }
        if (in.readableBytes() < HandshakeFormat.SERVER_AUTH_LENGTH) {
            return;
        }
        in.skipBytes(1);
        byte[] proof = new byte[HandshakeFormat.PROOF_LENGTH];
        in.readBytes(proof);
        if (!MessageDigest.isEqual(proof, HandshakeCrypto.serverProof(key.spec(), transcript))) {
            fail(ctx, in, HandshakeException.Kind.IMPOSTOR, server + " failed to prove it holds the key"
                    + " (possible impostor; nothing was sent)");
            return;
        }
        HandshakeCrypto.SessionKeys sessionKeys = HandshakeCrypto.sessionKeys(key.spec(), serverNonce, clientNonce, transcript);
        ctx.pipeline().addAfter(ctx.name(), PipelineNames.RECORD_FRAMER, SessionRecordCodec.newFramer());
        ctx.pipeline().addAfter(PipelineNames.RECORD_FRAMER, PipelineNames.RECORDS, SessionRecordCodec.forClient(sessionKeys));
        ctx.pipeline().remove(this);
        result.complete(null);
    }

    private void fail(ChannelHandlerContext ctx, ByteBuf in, HandshakeException.Kind kind, String message) {
        in.skipBytes(in.readableBytes());
        result.completeExceptionally(new HandshakeException(kind, message));
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        String why = serverNonce != null ? " (it may not accept more connections, or our proof came too late)"
                : !internalBuffer().isReadable()
                // A TLS server waits for a TLS hello as we wait for its hello: neither speaks until its deadline.
                ? ", before its hello (if it uses TLS, add --tls; it may also have refused this client: see its log)"
                : "";
        result.completeExceptionally(new HandshakeException(HandshakeException.Kind.CLOSED,
                server + " closed the connection during the handshake" + why));
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // TLS failures and I/O errors: the caller's handlers report them; the handshake simply did not finish.
        result.completeExceptionally(cause);
        ctx.fireExceptionCaught(cause);
    }
}
