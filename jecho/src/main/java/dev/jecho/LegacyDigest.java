package dev.jecho;

import dev.jecho.internal.protocol.handshake.HandshakeCrypto;

import java.security.GeneralSecurityException;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The digest of the article's handshake: {@code hmac.new(salt, nonce)} meant MD5 before Python 3.8
 * (which made {@code digestmod} mandatory); SHA-256 is what the article's code becomes with
 * {@code digestmod="sha256"}.
 */
public enum LegacyDigest {
    MD5("HmacMD5", 16),
    SHA256("HmacSHA256", 32);

    private final String algorithm;
    private final int length;
    private final ThreadLocal<Mac> mac;

    LegacyDigest(String algorithm, int length) {
        this.algorithm = algorithm;
        this.length = length;
        this.mac = ThreadLocal.withInitial(() -> HandshakeCrypto.newMac(algorithm));
    }

    /** Bytes of the raw digest the client sends. */
    public int length() {
        return length;
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The article's {@code hmac.new(salt, nonce, digestmod).digest()}. */
    public byte[] hmac(byte[] key, byte[] nonce) {
        Mac m = mac.get();
        try {
            m.init(new SecretKeySpec(key, algorithm));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot key " + algorithm, e);
        }
        return m.doFinal(nonce);
    }

    public static LegacyDigest parse(String text) {
        for (LegacyDigest d : values()) {
            if (d.cliName().equalsIgnoreCase(text.trim()) || (d == SHA256 && text.trim().equalsIgnoreCase("sha-256"))) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown legacy digest '" + text + "': use md5 or sha256");
    }
}
