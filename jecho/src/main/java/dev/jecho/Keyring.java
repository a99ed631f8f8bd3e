package dev.jecho;

import dev.jecho.internal.keys.KeyFile;
import dev.jecho.internal.keys.Keys;
import dev.jecho.internal.keys.SharedKey;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The shared secrets a server accepts, or a client may use, each named by an id (the id goes on the wire; a key
 * may have none, {@code ""}). Several keys let them rotate without downtime: the server lists the old and the
 * new key, clients move to the new one, then the old one goes. A client uses the first key unless told which
 * ({@link #select}).
 *
 * <pre>{@code
 * Keyring keys = Keyring.of("2025", newSecret).with("2024", oldSecret);
 * }</pre>
 *
 * A key should be at least 32 random bytes: a server refuses to start with a shorter one unless told that
 * anyone may connect (only the article's legacy handshake, {@link LegacyDigest}, is meant for short salts).
 * The key bytes are copied in and never handed out again.
 */
public final class Keyring {

    static {
        Keys.DOOR.open(new Keys.Door() {
            @Override
            public Keys keys(Keyring keyring) {
                return keyring.keys;
            }

            @Override
            public Keyring keyring(Keys keys) {
                return new Keyring(keys);
            }
        });
    }

    private final Keys keys;

    private Keyring(Keys keys) {
        this.keys = keys;
    }

    /**
     * One key without an id.
     *
     * @param secret the key's bytes (copied)
     * @return a keyring of that key
     * @throws IllegalArgumentException when {@code secret} is empty
     */
    public static Keyring of(byte[] secret) {
        return of("", secret);
    }

    /**
     * One key with an id.
     *
     * @param id     1-64 characters of {@code A-Z a-z 0-9 . _ -}, or {@code ""} for none
     * @param secret the key's bytes (copied)
     * @return a keyring of that key
     * @throws IllegalArgumentException when the id is not one, or {@code secret} is empty
     */
    public static Keyring of(String id, byte[] secret) {
        return new Keyring(Keys.of(List.of(new SharedKey(id, Objects.requireNonNull(secret, "secret")))));
    }

    /**
     * The keys of a key file, as {@code jecho --secret-file} reads it: one key per line, {@code BASE64} or
     * {@code ID:BASE64}, each at least 32 bytes; the file readable by its owner only, who must be the user
     * jecho runs as.
     *
     * @param file the key file
     * @return its keys, in the file's order
     * @throws KeyException when the file cannot be read or used, with a one-line message that says how to fix it
     */
    public static Keyring read(Path file) throws KeyException {
        return KeyFile.read(file, SharedKey.MIN_LENGTH);
    }

    /**
     * These keys and one more, after them: a server accepts each; a client still uses the first.
     *
     * @param id     as for {@link #of(String, byte[])}; no other key of the ring may have it
     * @param secret the key's bytes (copied)
     * @return a new keyring
     * @throws IllegalArgumentException when the id is not one or is taken, or {@code secret} is empty
     */
    public Keyring with(String id, byte[] secret) {
        return new Keyring(keys.with(new SharedKey(id, Objects.requireNonNull(secret, "secret"))));
    }

    /**
     * The same keys with the one named first, for a client told which key to use.
     *
     * @param id the key's id
     * @return a new keyring whose first key is that one
     * @throws IllegalArgumentException when no key has this id (the message lists the ids)
     */
    public Keyring select(String id) {
        return new Keyring(keys.select(id));
    }

    /**
     * The keys' ids in order, the first the one a client uses.
     *
     * @return the ids ({@code ""} for a key without one)
     */
    public List<String> ids() {
        return keys.ids();
    }

    /**
     * The shortest key's length: the strength of the weakest key accepted.
     *
     * @return its length in bytes
     */
    public int shortestKeyLength() {
        return keys.shortestKeyLength();
    }

    /** Ids and lengths only, never a key's bytes. */
    @Override
    public String toString() {
        return keys.toString();
    }
}
