package dev.jecho.internal.protocol.handshake;

import java.nio.charset.StandardCharsets;

/**
 * The bytes of the jecho handshake and session records, as docs/protocol.md lays them out.
 *
 * <pre>
 *   server hello   "JECH" | version 1 | server nonce (32)                                  37 bytes
 *   client auth    "JECH" | version 1 | id length L | key id (L) | client nonce (32) | client proof (32)
 *   server auth    0x06 (accepted) | server proof (32)                                      33 bytes
 *   failure        0x15, then the server closes                                              1 byte
 *   record         payload length N (uint32) | payload (N) | HMAC tag (32)
 * </pre>
 */
public final class HandshakeFormat {

    /** "JECH": what a client checks first, so that a server speaking something else is recognised at once. */
    public static final byte[] MAGIC = {'J', 'E', 'C', 'H'};
    public static final byte VERSION = 1;
    public static final int NONCE_LENGTH = 32;
    public static final int PROOF_LENGTH = 32;
    public static final int SERVER_HELLO_LENGTH = MAGIC.length + 1 + NONCE_LENGTH;
    /** The fixed part of a client auth message before the key id: magic, version, id length. */
    public static final int CLIENT_AUTH_PREFIX = MAGIC.length + 1 + 1;
    public static final int MAX_KEY_ID_LENGTH = 64;
    public static final int SERVER_AUTH_LENGTH = 1 + PROOF_LENGTH;
    /** ASCII ACK: the server accepted the client's proof; its own proof follows. */
    public static final byte ACCEPTED = 0x06;
    /** ASCII NAK: the one generic failure byte; the reason is never told to the peer. */
    public static final byte FAILURE = 0x15;

    /** A record carries at most this many payload bytes; larger writes are split. */
    public static final int MAX_RECORD_PAYLOAD = 64 * 1024;
    public static final int RECORD_HEADER_LENGTH = 4;
    public static final int RECORD_TAG_LENGTH = 32;

    static final byte[] CLIENT_PROOF_LABEL = label("jecho/1 client proof");
    static final byte[] SERVER_PROOF_LABEL = label("jecho/1 server proof");
    static final byte[] CLIENT_TO_SERVER_LABEL = label("jecho/1 client to server");
    static final byte[] SERVER_TO_CLIENT_LABEL = label("jecho/1 server to client");

    private HandshakeFormat() {
    }

    private static byte[] label(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** The longest client auth message: anything longer is not one. */
    public static int maxClientAuthLength() {
        return CLIENT_AUTH_PREFIX + MAX_KEY_ID_LENGTH + NONCE_LENGTH + PROOF_LENGTH;
    }
}
