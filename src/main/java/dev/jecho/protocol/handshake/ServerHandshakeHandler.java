package dev.jecho.protocol.handshake;

import dev.jecho.keys.Keyring;
import dev.jecho.keys.SharedKey;
import dev.jecho.protocol.ConnectionEvents;
import dev.jecho.protocol.PipelineNames;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.ScheduledFuture;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
public final class ServerHandshakeHandler extends ByteToMessageDecoder {

    private final Keyring keys;
    private final long deadlineNanos;
    private final byte[] serverNonce;
    private ScheduledFuture<?> deadline;
    private boolean deadlinePassed;
    private boolean helloSent;
    private boolean finished;

    /**
     * @param deadlineNanos how long after accept the handshake must be complete
     */
    public ServerHandshakeHandler(Keyring keys, long deadlineNanos) {
        this(keys, deadlineNanos, HandshakeCrypto.newNonce());
    }

    /** With a chosen nonce: for the test vectors only. */
    ServerHandshakeHandler(Keyring keys, long deadlineNanos, byte[] serverNonce) {
        this.keys = keys;
        this.deadlineNanos = deadlineNanos;
        this.serverNonce = serverNonce.clone();
    }

    /**
     * Starts the deadline. The hello waits for {@code channelActive}, which a server's connection gets once
     * its pipeline is built and its address is known: a connection refused by a limit by then is closed
     * without a word, and a write cannot close it before the stages before this one have seen it open.
     */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        // The deadline task only closes; channelInactive reports why.
        deadline = ctx.executor().schedule(() -> {
            deadlinePassed = true;
            ctx.channel().close();
        }, deadlineNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (!behindTls(ctx)) {
            sendHello(ctx);
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
            sendHello(ctx);
        }
        super.userEventTriggered(ctx, evt);
    }

    private void sendHello(ChannelHandlerContext ctx) {
        if (helloSent || !ctx.channel().isActive()) {
            return; // sent, or refused and closed already
        }
        helloSent = true;
        ByteBuf hello = ctx.alloc().buffer(HandshakeFormat.SERVER_HELLO_LENGTH)
                .writeBytes(HandshakeFormat.MAGIC)
                .writeByte(HandshakeFormat.VERSION)
                .writeBytes(serverNonce);
        ctx.writeAndFlush(hello, ctx.voidPromise());
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (finished) {
            in.skipBytes(in.readableBytes()); // one attempt per connection: the rest is ignored while closing
            return;
        }
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
        finished = true;
        deadline.cancel(false);
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
        finished = true;
        deadline.cancel(false);
        in.skipBytes(in.readableBytes());
        ctx.pipeline().fireUserEventTriggered(new ConnectionEvents.AuthenticationFailed(reason));
        ctx.writeAndFlush(ctx.alloc().buffer(1).writeByte(HandshakeFormat.FAILURE))
                .addListener(ChannelFutureListener.CLOSE);
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
