package dev.jecho.internal.protocol.handshake;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.ReferenceCountUtil;

import java.security.MessageDigest;
import javax.crypto.spec.SecretKeySpec;

/**
 * The protected session after a handshake: every outbound buffer is sealed into records (length, payload,
 * HMAC tag under this direction's key and sequence number); every inbound record (framed by
 * {@link #newFramer()}) is checked and its payload passed on. A tag that does not match, whether the record
 * was altered, dropped, reordered, replayed or injected, fails with a {@link RecordException}: the
 * session is over. Sequence numbers are never sent; each side counts.
 */
public final class SessionRecordCodec extends ChannelDuplexHandler {

    private final SecretKeySpec sendKey;
    private final SecretKeySpec receiveKey;
    private long sendSequence;
    private long receiveSequence;
    private boolean broken;

    public SessionRecordCodec(SecretKeySpec sendKey, SecretKeySpec receiveKey) {
        this.sendKey = sendKey;
        this.receiveKey = receiveKey;
    }

    /** For the server: receives the client's records, sends its own. */
    public static SessionRecordCodec forServer(HandshakeCrypto.SessionKeys keys) {
        return new SessionRecordCodec(keys.serverToClient(), keys.clientToServer());
    }

    public static SessionRecordCodec forClient(HandshakeCrypto.SessionKeys keys) {
        return new SessionRecordCodec(keys.clientToServer(), keys.serverToClient());
    }

    /**
     * Cuts the stream into whole records; a length above {@link HandshakeFormat#MAX_RECORD_PAYLOAD} (or a
     * negative one) fails at once with a {@link RecordException}, which ends the session like a bad tag: it is
     * not a message too long for the service to answer.
     */
    public static LengthFieldBasedFrameDecoder newFramer() {
        return new LengthFieldBasedFrameDecoder(
                HandshakeFormat.RECORD_HEADER_LENGTH + HandshakeFormat.MAX_RECORD_PAYLOAD + HandshakeFormat.RECORD_TAG_LENGTH,
                0, HandshakeFormat.RECORD_HEADER_LENGTH, HandshakeFormat.RECORD_TAG_LENGTH, 0, true) {
            @Override
            protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
                try {
                    return super.decode(ctx, in);
                } catch (TooLongFrameException | CorruptedFrameException e) {
                    throw new RecordException("record length out of range (0 to " + HandshakeFormat.MAX_RECORD_PAYLOAD
                            + "): " + e.getMessage());
                }
            }
        };
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf record)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (broken) {
                return; // the session already failed; the channel is closing
            }
            int start = record.readerIndex();
            int length = record.getInt(start);
            int macked = HandshakeFormat.RECORD_HEADER_LENGTH + length;
            byte[] expected = HandshakeCrypto.recordTag(receiveKey, receiveSequence, record, start, macked);
            byte[] actual = new byte[HandshakeFormat.RECORD_TAG_LENGTH];
            record.getBytes(start + macked, actual);
            if (!MessageDigest.isEqual(expected, actual)) {
                broken = true;
                throw new RecordException("bad record tag at sequence " + receiveSequence
                        + " (the message was altered, dropped, reordered, replayed or injected)");
            }
            receiveSequence++;
            if (length > 0) {
                ctx.fireChannelRead(record.retainedSlice(start + HandshakeFormat.RECORD_HEADER_LENGTH, length));
            }
        } finally {
            record.release();
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof ByteBuf payload) || !payload.isReadable()) {
            ctx.write(msg, promise); // an empty buffer (a flush marker) carries nothing to protect
            return;
        }
        try {
            int total = payload.readableBytes();
            int chunks = (total + HandshakeFormat.MAX_RECORD_PAYLOAD - 1) / HandshakeFormat.MAX_RECORD_PAYLOAD;
            ByteBuf out = ctx.alloc().ioBuffer(total + chunks * (HandshakeFormat.RECORD_HEADER_LENGTH + HandshakeFormat.RECORD_TAG_LENGTH));
            while (payload.isReadable()) {
                int n = Math.min(payload.readableBytes(), HandshakeFormat.MAX_RECORD_PAYLOAD);
                int recordStart = out.writerIndex();
                out.writeInt(n);
                out.writeBytes(payload, n);
                out.writeBytes(HandshakeCrypto.recordTag(sendKey, sendSequence++, out, recordStart,
                        HandshakeFormat.RECORD_HEADER_LENGTH + n));
            }
            ctx.write(out, promise);
        } finally {
            ReferenceCountUtil.release(payload);
        }
    }
}
