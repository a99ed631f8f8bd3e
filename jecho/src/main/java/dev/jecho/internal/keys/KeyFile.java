package dev.jecho.internal.keys;

import dev.jecho.KeyException;
import dev.jecho.Keyring;
import dev.jecho.internal.files.FileErrors;
import dev.jecho.internal.files.PrivateFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads and writes key files. A key file is UTF-8 text, one key per line, {@code BASE64} or
 * {@code ID:BASE64}; blank lines and lines starting with {@code #} are ignored. Like ssh with a private
 * key, a file that group or others may read is refused, and one that belongs to another user (see
 * {@link PrivateFiles}): a secret anyone on the machine can read or change is no secret. So is a key of
 * zero bytes only.
 */
public final class KeyFile {

    /** The environment variable that may hold a key instead of a file (weaker: visible to the process's owner in /proc). */
    public static final String ENVIRONMENT_VARIABLE = "JECHO_SECRET";
    /** Bytes in a key made by {@link #generate}. */
    public static final int GENERATED_LENGTH = 32;

    private KeyFile() {
    }

    /**
     * Reads a key file.
     *
     * @param minLength the shortest key accepted (normally {@link SharedKey#MIN_LENGTH})
     * @throws KeyException with a one-line message naming the file and the fix
     */
    public static Keyring read(Path file, int minLength) throws KeyException {
        if (!Files.exists(file)) {
            throw new KeyException("key file " + file + " does not exist (make one with: jecho keygen " + file + ")");
        }
        String text;
        try {
            if (Files.isDirectory(file)) {
                throw new KeyException("cannot read key file " + file + ": is a directory");
            }
            String problem = PrivateFiles.problem(file);
            if (problem != null) {
                throw new KeyException("key file " + file + " " + problem);
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new KeyException(FileErrors.cannot("read key file", file, e));
        }
        return parse(text, "key file " + file, minLength);
    }

    /** Reads the key from the value of {@link #ENVIRONMENT_VARIABLE} (same line format as a file). */
    public static Keyring fromEnvironment(String value, int minLength) throws KeyException {
        if (value.isBlank()) {
            // Set but empty is a mistake (an unset shell variable, a template not filled in), never "no key".
            throw new KeyException(ENVIRONMENT_VARIABLE + " is set but blank: give it a key (jecho keygen prints one),"
                    + " or unset it to run without one");
        }
        return parse(value, ENVIRONMENT_VARIABLE, minLength);
    }

    /** Parses key file text; {@code source} names it in error messages. */
    public static Keyring parse(String text, String source, int minLength) throws KeyException {
        List<SharedKey> keys = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = source + " line " + (i + 1);
            int colon = line.indexOf(':');
            String id = colon < 0 ? "" : line.substring(0, colon).strip();
            String encoded = colon < 0 ? line : line.substring(colon + 1).strip();
            if (colon >= 0 && !SharedKey.isValidId(id)) {
                throw new KeyException(where + ": key id '" + id + "' must be 1-" + SharedKey.MAX_ID_LENGTH
                        + " characters of A-Z a-z 0-9 . _ -");
            }
            byte[] secret;
            try {
                secret = Base64.getDecoder().decode(encoded);
            } catch (IllegalArgumentException e) {
                throw new KeyException(where + ": not base64 (expected BASE64 or ID:BASE64; make a key with: jecho keygen)");
            }
            if (isAllZero(secret)) {
                throw new KeyException(where + ": key is all zero bytes, which is no secret (make one with: jecho keygen)");
            }
            if (secret.length < minLength) {
                throw new KeyException(where + ": key is " + secret.length + " bytes, at least " + minLength
                        + " are needed (make one with: jecho keygen)");
            }
            keys.add(new SharedKey(id, secret));
        }
        if (keys.isEmpty()) {
            throw new KeyException(source + " holds no key (make one with: jecho keygen)");
        }
        try {
            return Keys.of(keys).toKeyring();
        } catch (IllegalArgumentException e) {
            throw new KeyException(source + ": " + e.getMessage());
        }
    }

    private static boolean isAllZero(byte[] secret) {
        int any = 0;
        for (byte b : secret) {
            any |= b;
        }
        return any == 0;
    }

    /** A new random key, base64-encoded. */
    public static String generate(SecureRandom random) {
        byte[] key = new byte[GENERATED_LENGTH];
        random.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /**
     * Writes a new key file with mode 0600 from the start (never briefly readable by others).
     *
     * @param line the key line, {@code BASE64} or {@code ID:BASE64}
     * @throws KeyException if the file exists (a key is never overwritten) or cannot be written
     */
    public static void create(Path file, String line) throws KeyException {
        try {
            PrivateFiles.createNew(file, (line + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (FileAlreadyExistsException e) {
            throw new KeyException(file + " already exists (a key is never overwritten: remove it first, or choose another name)");
        } catch (IOException e) {
            throw new KeyException(FileErrors.cannot("write", file, e));
        }
    }
}
