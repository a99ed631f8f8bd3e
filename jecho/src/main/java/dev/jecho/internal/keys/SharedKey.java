package dev.jecho.internal.keys;

import dev.jecho.Keyring;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.crypto.spec.SecretKeySpec;

/**
 * One shared secret and the id that names it on the wire ({@code ""} when the key file gives none).
 * The key bytes never leave this object except as the {@link SecretKeySpec} a {@code Mac} is keyed with.
 */
public final class SharedKey {

    /** RFC 2104: a key shorter than the hash output (32 bytes for SHA-256) weakens the HMAC. */
    public static final int MIN_LENGTH = 32;
    /** Ids go on the wire behind a one-byte length; kept short and printable. */
    public static final int MAX_ID_LENGTH = 64;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_ID_LENGTH + "}");

    private final String id;
    private final SecretKeySpec spec;
    private final int length;

    public SharedKey(String id, byte[] secret) {
        Objects.requireNonNull(id, "id");
        if (!id.isEmpty() && !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("key id '" + id + "' must be 1-" + MAX_ID_LENGTH
                    + " characters of A-Z a-z 0-9 . _ -");
        }
        if (secret.length == 0) {
            throw new IllegalArgumentException("empty key");
        }
        this.id = id;
        this.spec = new SecretKeySpec(secret, "HmacSHA256");
        this.length = secret.length;
    }

    public static boolean isValidId(String id) {
        return ID.matcher(id).matches();
    }

    /** The id the client names on the wire; empty for a key without one. */
    public String id() {
        return id;
    }

    /** The key for {@code Mac.init}; HMAC accepts it under any HMAC algorithm name. */
    public SecretKeySpec spec() {
        return spec;
    }

    /** A copy of the secret (for the legacy handshake, whose digest may be MD5). */
    public byte[] secret() {
        return spec.getEncoded();
    }

    /** A keyring of this key alone. */
    public Keyring toKeyring() {
        return Keys.of(List.of(this)).toKeyring();
    }

    public int length() {
        return length;
    }

    @Override
    public String toString() {
        return "SharedKey[" + (id.isEmpty() ? "no id" : id) + ", " + length + " bytes]";
    }
}
