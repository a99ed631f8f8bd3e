package dev.jecho.cli;

import dev.jecho.Keyring;
import dev.jecho.LegacyDigest;
import dev.jecho.internal.keys.SharedKey;
import dev.jecho.internal.keys.KeyFile;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The key a client authenticates with, and which handshake: the options of every command that connects. */
final class ClientKeyOptions {

    @Mixin
    SecretOptions secret;

    @Option(names = "--key-id", paramLabel = "ID",
            description = "Authenticate with this key of the key file (default: its first key).")
    String keyId;

    @Option(names = "--legacy-auth", paramLabel = "DIGEST", converter = Converters.LegacyDigestName.class,
            description = "Speak the article's handshake (md5 or sha256) and JSON values back to back, as its Python server does.")
    LegacyDigest legacyAuth;

    /** Whether --secret-file or --key-id was given (the environment variable does not count). */
    boolean given() {
        return secret.secretFile != null || keyId != null;
    }

    /**
     * The keys (narrowed to {@code --key-id}), or null when neither the file nor the environment has one.
     *
     * @throws CliException for a key file that cannot be used, an unknown key id, or an option that needs a key without one
     */
    Keyring keys(Io io) {
        Keyring keys = secret.load(io, legacyAuth != null ? 1 : SharedKey.MIN_LENGTH);
        if (keys != null && keyId != null) {
            try {
                keys = keys.select(keyId);
            } catch (IllegalArgumentException e) {
                throw new CliException(ExitCodes.USAGE, e.getMessage());
            }
        }
        if ((legacyAuth != null || keyId != null) && keys == null) {
            throw new CliException(ExitCodes.USAGE, (legacyAuth != null ? "--legacy-auth" : "--key-id")
                    + " needs a key: --secret-file PATH (or the " + KeyFile.ENVIRONMENT_VARIABLE + " variable)");
        }
        return keys;
    }
}
