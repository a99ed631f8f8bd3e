package dev.jecho.internal.protocol.datagram;

import dev.jecho.Keyring;
import dev.jecho.internal.keys.Keys;
import dev.jecho.internal.keys.SharedKey;
import dev.jecho.internal.protocol.handshake.HandshakeCrypto;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.Function;
import javax.crypto.Mac;

/**
 * Authenticated UDP datagrams, when a secret is set (docs/protocol.md, "Datagrams"):
 *
 * <pre>
 *   request  "JECD" | 1 | 'Q' | L | key id (L) | timestamp ms (uint64) | nonce (16) | payload | tag (32)
 *   reply    "JECD" | 1 | 'R' | nonce of the request (16) | payload | tag (32)
 *   tag      HMAC-SHA256(K, "jecho/1 datagram" | every byte before the tag)
 * </pre>
 *
 * A reply is 9 + L bytes shorter than its request, so the service never amplifies; it names its
 * request's nonce, so a client matches replies exactly and ignores stale ones.
 */
public final class TaggedDatagram {

    public static final byte[] MAGIC = {'J', 'E', 'C', 'D'};
    public static final byte VERSION = 1;
    public static final byte REQUEST = 'Q';
    public static final byte REPLY = 'R';
    public static final int NONCE_LENGTH = 16;
    public static final int TAG_LENGTH = 32;
    /** Request bytes besides the key id and payload. */
    public static final int REQUEST_OVERHEAD = MAGIC.length + 3 + 8 + NONCE_LENGTH + TAG_LENGTH;
    public static final int REPLY_OVERHEAD = MAGIC.length + 2 + NONCE_LENGTH + TAG_LENGTH;
    private static final byte[] LABEL = "jecho/1 datagram".getBytes(StandardCharsets.US_ASCII);

    private TaggedDatagram() {
    }

    /** A request that passed every check: its key, nonce, and where its payload sits. */
    public record Request(SharedKey key, byte[] nonce, int payloadOffset, int payloadLength) {
    }

    /** Why a datagram was dropped; for counters and debug logs, never sent anywhere. */
    public enum Rejection {
        NOT_TAGGED, UNKNOWN_KEY, BAD_TAG, STALE, REPLAYED
    }

    /** Thrown by {@link #open}; carries no stack trace (it is routine). */
    public static final class RejectedException extends Exception {
        private final Rejection rejection;

        RejectedException(Rejection rejection) {
            super(rejection.name(), null, false, false);
            this.rejection = rejection;
        }

        public Rejection rejection() {
            return rejection;
        }
    }

    /** Builds a request datagram's content. */
    public static ByteBuf seal(ByteBufAllocator alloc, SharedKey key, long timestampMillis, byte[] nonce, byte[] payload) {
        return seal(alloc, key, timestampMillis, nonce, Unpooled.wrappedBuffer(payload));
    }

    /** Builds a request datagram's content around {@code payload}'s readable bytes (not consumed, not released). */
    public static ByteBuf seal(ByteBufAllocator alloc, SharedKey key, long timestampMillis, byte[] nonce, ByteBuf payload) {
        byte[] id = key.id().getBytes(StandardCharsets.US_ASCII);
        ByteBuf out = alloc.buffer(REQUEST_OVERHEAD + id.length + payload.readableBytes());
        out.writeBytes(MAGIC).writeByte(VERSION).writeByte(REQUEST).writeByte(id.length).writeBytes(id)
                .writeLong(timestampMillis).writeBytes(nonce).writeBytes(payload, payload.readerIndex(), payload.readableBytes());
        out.writeBytes(tag(key, out, out.readerIndex(), out.readableBytes()));
        return out;
    }

    /**
     * Checks a request (its readable bytes, not consumed): format, key, tag, then freshness and replay.
     *
     * @throws RejectedException if the datagram must get no reply
     */
    public static Request open(ByteBuf in, Keyring keys, ReplayWindow window, long nowMillis) throws RejectedException {
        return open(in, keys, key -> window, nowMillis);
    }

    /**
     * Checks a request as {@link #open(ByteBuf, Keyring, ReplayWindow, long)} does, against the replay window of
     * the key it names.
     *
     * @throws RejectedException if the datagram must get no reply
     */
    public static Request open(ByteBuf in, Keyring keys, Function<SharedKey, ReplayWindow> windows, long nowMillis)
            throws RejectedException {
        int start = in.readerIndex();
        int length = in.readableBytes();
        if (length < REQUEST_OVERHEAD || !hasMagic(in, start) || in.getByte(start + 4) != VERSION
                || in.getByte(start + 5) != REQUEST) {
            throw new RejectedException(Rejection.NOT_TAGGED);
        }
        int idLength = in.getUnsignedByte(start + 6);
        if (length < REQUEST_OVERHEAD + idLength) {
            throw new RejectedException(Rejection.NOT_TAGGED);
        }
        SharedKey key = Keys.of(keys).find(in.toString(start + 7, idLength, StandardCharsets.US_ASCII));
        if (key == null) {
            throw new RejectedException(Rejection.UNKNOWN_KEY);
        }
        int tagged = length - TAG_LENGTH;
        byte[] actual = new byte[TAG_LENGTH];
        in.getBytes(start + tagged, actual);
        if (!MessageDigest.isEqual(actual, tag(key, in, start, tagged))) {
            throw new RejectedException(Rejection.BAD_TAG);
        }
        int timestampAt = start + 7 + idLength;
        long timestamp = in.getLong(timestampAt);
        byte[] nonce = new byte[NONCE_LENGTH];
        in.getBytes(timestampAt + 8, nonce);
        ReplayWindow window = windows.apply(key);
        if (!window.admit(timestamp, nonce, nowMillis)) {
            throw new RejectedException(Math.abs(nowMillis - timestamp) > window.windowMillis() ? Rejection.STALE : Rejection.REPLAYED);
        }
        int payloadOffset = timestampAt + 8 + NONCE_LENGTH;
        return new Request(key, nonce, payloadOffset, start + tagged - payloadOffset);
    }

    /** Builds the reply to a request; {@code payload}'s readable bytes are the reply's payload. */
    public static ByteBuf reply(ByteBufAllocator alloc, SharedKey key, byte[] requestNonce, ByteBuf payload) {
        ByteBuf out = alloc.buffer(REPLY_OVERHEAD + payload.readableBytes());
        out.writeBytes(MAGIC).writeByte(VERSION).writeByte(REPLY).writeBytes(requestNonce)
                .writeBytes(payload, payload.readerIndex(), payload.readableBytes());
        out.writeBytes(tag(key, out, out.readerIndex(), out.readableBytes()));
        return out;
    }

    /** The nonce a reply names (unchecked: see {@link #openReply}), or null if it is too short to be a reply. */
    public static byte[] replyNonce(ByteBuf in) {
        if (in.readableBytes() < REPLY_OVERHEAD) {
            return null;
        }
        byte[] nonce = new byte[NONCE_LENGTH];
        in.getBytes(in.readerIndex() + 6, nonce);
        return nonce;
    }

    /**
     * Checks a reply for a client: the payload if the tag is right and it answers {@code nonce}, else null.
     */
    public static byte[] openReply(ByteBuf in, SharedKey key, byte[] nonce) {
        int start = in.readerIndex();
        int length = in.readableBytes();
        if (length < REPLY_OVERHEAD || !hasMagic(in, start) || in.getByte(start + 4) != VERSION || in.getByte(start + 5) != REPLY) {
            return null;
        }
        byte[] replyNonce = new byte[NONCE_LENGTH];
        in.getBytes(start + 6, replyNonce);
        if (!MessageDigest.isEqual(replyNonce, nonce)) {
            return null;
        }
        int tagged = length - TAG_LENGTH;
        byte[] actual = new byte[TAG_LENGTH];
        in.getBytes(start + tagged, actual);
        if (!MessageDigest.isEqual(actual, tag(key, in, start, tagged))) {
            return null;
        }
        byte[] payload = new byte[tagged - 6 - NONCE_LENGTH];
        in.getBytes(start + 6 + NONCE_LENGTH, payload);
        return payload;
    }

    private static boolean hasMagic(ByteBuf in, int start) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (in.getByte(start + i) != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    static byte[] tag(SharedKey key, ByteBuf data, int offset, int length) {
        Mac mac = HandshakeCrypto.mac(key.spec());
        mac.update(LABEL);
        if (data.hasArray()) {
            mac.update(data.array(), data.arrayOffset() + offset, length);
        } else {
            mac.update(data.nioBuffer(offset, length));
        }
        return mac.doFinal();
    }
}
