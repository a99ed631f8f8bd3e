package dev.jecho.internal.protocol.handshake;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The handshake's cryptography: nonces, the two proofs, the session keys and record tags. Mac and
 * SecureRandom instances are made once per thread (event loops are few and long-lived), never per
 * connection.
 *
 * <p>The transcript both proofs cover, and the HKDF (RFC 5869) that derives the session keys:
 * <pre>
 *   transcript   = server nonce | client nonce | L | key id | B | binding   (B = 0, or 32 with TLS)
 *   client proof = HMAC(K, "jecho/1 client proof" | transcript)
 *   server proof = HMAC(K, "jecho/1 server proof" | transcript)
 *   PRK          = HMAC(server nonce | client nonce, K)
 *   key c->s     = HMAC(PRK, "jecho/1 client to server" | transcript | 0x01)
 *   key s->c     = HMAC(PRK, "jecho/1 server to client" | transcript | 0x01)
 *   record tag   = HMAC(key of the direction, sequence number (uint64) | length (uint32) | payload)
 * </pre>
 */
public final class HandshakeCrypto {

    private static final String HMAC_SHA256 = "HmacSHA256";
    private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(() -> newMac(HMAC_SHA256));
    // DRBG (NIST SP 800-90A, seeded from the OS): the default NativePRNG reads /dev/urandom under one
    // process-wide lock for every nonce, which serializes the event loops during a connection storm.
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(HandshakeCrypto::newRandom);
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    });

    private HandshakeCrypto() {
    }

    private static SecureRandom newRandom() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }

    public static Mac newMac(String algorithm) {
        try {
            return Mac.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is missing from this JDK", e);
        }
    }

    /** This thread's SecureRandom (nonces). */
    public static SecureRandom random() {
        return RANDOM.get();
    }

    public static byte[] newNonce() {
        byte[] nonce = new byte[HandshakeFormat.NONCE_LENGTH];
        RANDOM.get().nextBytes(nonce);
        return nonce;
    }

    /** This thread's HMAC-SHA256, keyed. */
    public static Mac mac(SecretKeySpec key) {
        Mac mac = MAC.get();
        try {
            mac.init(key);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot key HMAC-SHA256", e);
        }
        return mac;
    }

    public static byte[] hmac(SecretKeySpec key, byte[]... parts) {
        Mac mac = mac(key);
        for (byte[] part : parts) {
            mac.update(part);
        }
        return mac.doFinal();
    }

    public static byte[] sha256(byte[] data) {
        MessageDigest digest = SHA256.get();
        digest.reset();
        return digest.digest(data);
    }

    /** What both proofs and the session keys cover; {@code binding} is empty without TLS. */
    public static byte[] transcript(byte[] serverNonce, byte[] clientNonce, String keyId, byte[] binding) {
        byte[] id = keyId.getBytes(StandardCharsets.US_ASCII);
        byte[] t = new byte[serverNonce.length + clientNonce.length + 1 + id.length + 1 + binding.length];
        int i = 0;
        System.arraycopy(serverNonce, 0, t, i, serverNonce.length);
        i += serverNonce.length;
        System.arraycopy(clientNonce, 0, t, i, clientNonce.length);
        i += clientNonce.length;
        t[i++] = (byte) id.length;
        System.arraycopy(id, 0, t, i, id.length);
        i += id.length;
        t[i++] = (byte) binding.length;
        System.arraycopy(binding, 0, t, i, binding.length);
        return t;
    }

    public static byte[] clientProof(SecretKeySpec key, byte[] transcript) {
        return hmac(key, HandshakeFormat.CLIENT_PROOF_LABEL, transcript);
    }

    public static byte[] serverProof(SecretKeySpec key, byte[] transcript) {
        return hmac(key, HandshakeFormat.SERVER_PROOF_LABEL, transcript);
    }

    /** HKDF-SHA256 with the two nonces as salt: one key per direction, so no message can be reflected. */
    public static SessionKeys sessionKeys(SecretKeySpec key, byte[] serverNonce, byte[] clientNonce, byte[] transcript) {
        byte[] salt = new byte[serverNonce.length + clientNonce.length];
        System.arraycopy(serverNonce, 0, salt, 0, serverNonce.length);
        System.arraycopy(clientNonce, 0, salt, serverNonce.length, clientNonce.length);
        SecretKeySpec prk = hkdfExtract(salt, key.getEncoded());
        byte[] c2s = hkdfExpand32(prk, HandshakeFormat.CLIENT_TO_SERVER_LABEL, transcript);
        byte[] s2c = hkdfExpand32(prk, HandshakeFormat.SERVER_TO_CLIENT_LABEL, transcript);
        return new SessionKeys(new SecretKeySpec(c2s, HMAC_SHA256), new SecretKeySpec(s2c, HMAC_SHA256));
    }

    /** RFC 5869 HKDF-Extract with SHA-256. */
    static SecretKeySpec hkdfExtract(byte[] salt, byte[] inputKey) {
        return new SecretKeySpec(hmac(new SecretKeySpec(salt, HMAC_SHA256), inputKey), HMAC_SHA256);
    }

    /** RFC 5869 HKDF-Expand with SHA-256 for 32 bytes (one block): HMAC(PRK, info | 0x01). */
    static byte[] hkdfExpand32(SecretKeySpec prk, byte[]... info) {
        Mac mac = mac(prk);
        for (byte[] part : info) {
            mac.update(part);
        }
        mac.update((byte) 1);
        return mac.doFinal();
    }

    /**
     * The tag of one record: {@code record} holds the length header and payload (its readable bytes are
     * not consumed).
     */
    static byte[] recordTag(SecretKeySpec key, long sequence, ByteBuf record, int offset, int length) {
        Mac mac = mac(key);
        for (int shift = 56; shift >= 0; shift -= 8) {
            mac.update((byte) (sequence >>> shift));
        }
        if (record.hasArray()) {
            mac.update(record.array(), record.arrayOffset() + offset, length);
        } else if (record.nioBufferCount() == 1) {
            mac.update(record.internalNioBuffer(offset, length));
        } else {
            for (java.nio.ByteBuffer b : record.nioBuffers(offset, length)) {
                mac.update(b);
            }
        }
        return mac.doFinal();
    }

    /** The two session keys of a connection. */
    public record SessionKeys(SecretKeySpec clientToServer, SecretKeySpec serverToClient) {
    }
}
