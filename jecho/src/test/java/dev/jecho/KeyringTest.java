package dev.jecho;

import dev.jecho.internal.keys.KeyFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The API's keyring: keys by id and bytes, rotation order, key files as --secret-file reads them; never a key's bytes out. */
class KeyringTest {

    static byte[] key(int fill) {
        byte[] b = new byte[32];
        Arrays.fill(b, (byte) fill);
        return b;
    }

    @Test
    void keysKeepTheirOrderAndTheSelectedOneComesFirst() {
        Keyring keys = Keyring.of("new", key(1)).with("old", key(2)).with("older", new byte[40]);
        assertThat(keys.ids()).containsExactly("new", "old", "older");
        assertThat(keys.select("old").ids()).containsExactly("old", "new", "older");
        assertThat(keys.shortestKeyLength()).isEqualTo(32);
        assertThat(Keyring.of(key(3)).ids()).containsExactly("");
        assertThat(keys.toString()).contains("new", "32 bytes").doesNotContain(Base64.getEncoder().encodeToString(key(1)));
    }

    @Test
    void badIdsEmptyKeysAndTakenIdsAreRefusedWithAReason() {
        assertThatThrownBy(() -> Keyring.of("no spaces", key(1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be 1-64 characters");
        assertThatThrownBy(() -> Keyring.of(new byte[0])).isInstanceOf(IllegalArgumentException.class).hasMessage("empty key");
        assertThatThrownBy(() -> Keyring.of("a", key(1)).with("a", key(2))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("key id 'a' appears twice");
        assertThatThrownBy(() -> Keyring.of("a", key(1)).select("b")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no key with id 'b' (ids: a)");
    }

    @Test
    void aKeyFileIsReadAsTheCommandLineReadsItAndRefusedWhenOthersCanReadIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("jecho.key");
        KeyFile.create(file, "k1:" + Base64.getEncoder().encodeToString(key(7)));
        assertThat(Keyring.read(file).ids()).containsExactly("k1");

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> Keyring.read(file)).isInstanceOf(KeyException.class).hasMessageStartingWith("key file " + file);
        assertThatThrownBy(() -> Keyring.read(dir.resolve("missing.key"))).isInstanceOf(KeyException.class)
                .hasMessageContaining("does not exist");
    }
}
