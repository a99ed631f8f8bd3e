package dev.jecho.cli;

import dev.jecho.KeyException;
import dev.jecho.Keyring;
import dev.jecho.internal.keys.KeyFile;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --secret-file}, or the {@code JECHO_SECRET} environment variable: never a secret on the command line. */
final class SecretOptions {

    @Option(names = "--secret-file", paramLabel = "PATH",
            description = {"Authenticate with the keys in PATH: one key per line, BASE64 or ID:BASE64, at least 32 bytes"
                    + " each, mode 0600 (make one with: jecho keygen PATH).",
                    "Without it, the environment variable " + KeyFile.ENVIRONMENT_VARIABLE + " (base64; weaker:"
                            + " other tools may show a process's environment) is used if set; set but blank is an error."})
    Path secretFile;

    /** The keys, or null when neither the option nor the variable is set. */
    Keyring load(Io io, int minLength) {
        try {
            if (secretFile != null) {
                return KeyFile.read(secretFile, minLength);
            }
            String fromEnvironment = io.env().apply(KeyFile.ENVIRONMENT_VARIABLE);
            if (fromEnvironment != null) { // set but blank is an error there, not "no key"
                return KeyFile.fromEnvironment(fromEnvironment, minLength);
            }
            return null;
        } catch (KeyException e) {
            throw new CliException(ExitCodes.ERROR, e.getMessage());
        }
    }
}
