package dev.jecho.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class KeygenCommandTest {

    @TempDir
    Path dir;

    @Test
    void keygenPrintsARandom32ByteKeyInBase64() {
        CliTestSupport.Result a = CliTestSupport.run("", "keygen");
        CliTestSupport.Result b = CliTestSupport.run("", "keygen");
        assertThat(a.exitCode()).isZero();
        assertThat(Base64.getDecoder().decode(a.out().strip())).hasSize(32);
        assertThat(a.out()).isNotEqualTo(b.out());
    }

    @Test
    void keygenWritesANewFileReadableByItsOwnerOnlyAndNeverOverwrites() throws Exception {
        Path file = dir.resolve("jecho.key");
        CliTestSupport.Result r = CliTestSupport.run("", "keygen", file.toString());
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("wrote a new 32-byte key to " + file + " (mode 0600)\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        String key = Files.readString(file);
        assertThat(Base64.getDecoder().decode(key.strip())).hasSize(32);

        CliTestSupport.Result again = CliTestSupport.run("", "keygen", file.toString());
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.errLines()).singleElement().asString().contains("already exists");
        assertThat(Files.readString(file)).isEqualTo(key);
    }

    @Test
    void keygenWithAnIdWritesIdColonKey() {
        CliTestSupport.Result r = CliTestSupport.run("", "keygen", "--id", "2026-11");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).startsWith("2026-11:");
        assertThat(Base64.getDecoder().decode(r.out().strip().substring(8))).hasSize(32);
        CliTestSupport.Result bad = CliTestSupport.run("", "keygen", "--id", "no spaces");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.errLines()).singleElement().asString().contains("key id 'no spaces'");
    }
}
