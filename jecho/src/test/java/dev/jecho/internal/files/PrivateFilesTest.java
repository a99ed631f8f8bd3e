package dev.jecho.internal.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class PrivateFilesTest {

    @TempDir
    Path dir;

    private int ownerUid(Path file) throws IOException {
        return (Integer) Files.getAttribute(file, "unix:uid");
    }

    @Test
    void aFileOfTheProcesssUserWithOwnerOnlyModeIsFine() throws IOException {
        Path file = dir.resolve("k.key");
        PrivateFiles.createNew(file, "k\n".getBytes());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assumeTrue(PrivateFiles.processUid() >= 0, "no /proc/self: the process's user is unknown");
        assertThat(PrivateFiles.problem(file)).isNull();
    }

    @Test
    void aFileOfAnotherUserIsRefusedUnlessItIsRoots() throws IOException {
        Path file = dir.resolve("k.key");
        PrivateFiles.createNew(file, "k\n".getBytes());
        int owner = ownerUid(file);
        if (owner == PrivateFiles.ROOT) {
            // Running as root: root's file is fine for any user (root could change it anyway) ...
            assertThat(PrivateFiles.problem(file, 1000)).isNull();
            // ... and a file of an ordinary user is refused even to root.
            Files.setAttribute(file, "unix:uid", 65534);
            assertThat(PrivateFiles.problem(file, PrivateFiles.ROOT)).startsWith("is owned by ")
                    .contains("not by root (the user jecho runs as): its owner could change it; run: chown root " + file);
        } else {
            assertThat(PrivateFiles.problem(file, owner + 1)).startsWith("is owned by ").contains("or root: its owner could change it");
        }
    }

    @Test
    void aFileOthersMayReadIsRefusedWithTheFix() throws IOException {
        Path file = dir.resolve("k.key");
        PrivateFiles.createNew(file, "k\n".getBytes());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        assertThat(PrivateFiles.problem(file, ownerUid(file)))
                .isEqualTo("is accessible by group or others (mode rw-r-----); run: chmod 600 " + file);
    }

    @Test
    void replaceLeavesOnlyTheNewOwnerOnlyFile() throws IOException {
        Path file = dir.resolve("state.pem");
        PrivateFiles.replace(file, "one".getBytes());
        PrivateFiles.replace(file, "two".getBytes());
        assertThat(Files.readString(file)).isEqualTo("two");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (var listing = Files.list(dir)) {
            assertThat(listing.map(p -> p.getFileName().toString())).containsExactly("state.pem");
        }
    }

    @Test
    void directoryIsCreatedForItsOwnerOnly() throws IOException {
        Path made = PrivateFiles.directory(dir.resolve("a").resolve("tls"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(made))).isEqualTo("rwx------");
        assertThat(PrivateFiles.directory(made)).isEqualTo(made);
    }
}
