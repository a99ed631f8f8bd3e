package dev.jecho.internal.server;

import dev.jecho.Keyring;
import dev.jecho.LegacyDigest;

/**
 * Whether clients must prove they hold a key, and with which handshake: stream connections run jecho's handshake,
 * or the article's ({@code legacy}); UDP datagrams must carry a tag made with one of the keys.
 *
 * @param keys   the keys clients may authenticate with; null: no secret, no authentication
 * @param legacy the article's handshake instead of jecho's (client-only authentication, no protection), or null
 */
public record Authentication(Keyring keys, LegacyDigest legacy) {

    /** No secret: every client is served without a handshake. */
    public static final Authentication NONE = new Authentication(null, null);

    public Authentication {
        if (legacy != null && keys == null) {
            throw new IllegalArgumentException("--legacy-auth needs the article's key: --secret-file PATH"
                    + " (its salt \"SOCKET SERVER\" is U09DS0VUIFNFUlZFUg== in base64)");
        }
    }

    /** Whether a secret is set, so that clients must authenticate. */
    public boolean enabled() {
        return keys != null;
    }
}
