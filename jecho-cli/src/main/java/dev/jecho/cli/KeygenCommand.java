package dev.jecho.cli;

import dev.jecho.KeyException;
import dev.jecho.internal.keys.SharedKey;
import dev.jecho.internal.keys.KeyFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Callable;

/** {@code jecho keygen [FILE]}: a new random 32-byte key, printed or written to a new file with mode 0600. */
@Command(name = "keygen",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
                "Makes a random " + KeyFile.GENERATED_LENGTH + "-byte key for --secret-file, base64-encoded.",
                "With FILE it goes to a new file of mode 0600 (an existing file is never overwritten); without, it"
                        + " is printed. Give server and client the same key.",
        },
        footer = {
                "%nExamples:",
                "  jecho keygen jecho.key                   a new key file",
                "  jecho keygen --id 2026-11 >> jecho.key    add a second key, to rotate to",
                ExitCodes.HELP_FOOTER,
        })
final class KeygenCommand implements Callable<Integer> {

    private final Io io;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "Write the key to this new file.")
    Path file;

    @Option(names = "--id", paramLabel = "ID",
            description = "Write ID:BASE64, so that several keys can be told apart (key rotation).")
    String id;

    KeygenCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        if (id != null && !SharedKey.isValidId(id)) {
            throw new CliException(ExitCodes.USAGE, "key id '" + id + "' must be 1-" + SharedKey.MAX_ID_LENGTH
                    + " characters of A-Z a-z 0-9 . _ - (see 'jecho keygen --help')");
        }
        String key = KeyFile.generate(new SecureRandom());
        String line = id == null ? key : id + ":" + key;
        if (file == null) {
            io.out().println(line);
            io.out().flush();
            return ExitCodes.OK;
        }
        try {
            KeyFile.create(file, line);
        } catch (KeyException e) {
            throw new CliException(ExitCodes.ERROR, e.getMessage());
        }
        io.out().println("wrote a new " + KeyFile.GENERATED_LENGTH + "-byte key to " + file + " (mode 0600)");
        io.out().flush();
        return ExitCodes.OK;
    }
}
