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
    /** HMAC-MD5: the article's programs as they ran before Python 3.8. */
    MD5("HmacMD5", 16),
    /** HMAC-SHA256: the article's programs with {@code digestmod="sha256"}. */
    SHA256("HmacSHA256", 32);

    private final String algorithm;
    private final int length;
    private final ThreadLocal<Mac> mac;

    LegacyDigest(String algorithm, int length) {
        this.algorithm = algorithm;
        this.length = length;
        this.mac = ThreadLocal.withInitial(() -> HandshakeCrypto.newMac(algorithm));
    }

    /**
     * The length of the raw digest the client sends.
     *
     * @return 16 or 32 bytes
     */
    public int length() {
        return length;
    }

    /**
     * The name used on the command line ({@code --legacy-auth}).
     *
     * @return {@code md5} or {@code sha256}
     */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The article's {@code hmac.new(salt, nonce, digestmod).digest()}: the client's answer to the server's nonce.
     *
     * @param key   the shared salt
     * @param nonce the server's 32 random bytes
     * @return the raw digest, {@link #length()} bytes
     */
    public byte[] hmac(byte[] key, byte[] nonce) {
        Mac m = mac.get();
        try {
            m.init(new SecretKeySpec(key, algorithm));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot key " + algorithm, e);
        }
        return m.doFinal(nonce);
    }

    /**
     * Parses a name as {@link #cliName()} gives it, in any case ({@code sha-256} too).
     *
     * @param text the name
     * @return the digest
     * @throws IllegalArgumentException for any other name
     */
    public static LegacyDigest parse(String text) {
        for (LegacyDigest d : values()) {
            if (d.cliName().equalsIgnoreCase(text.trim()) || (d == SHA256 && text.trim().equalsIgnoreCase("sha-256"))) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown legacy digest '" + text + "': use md5 or sha256");
    }
}
