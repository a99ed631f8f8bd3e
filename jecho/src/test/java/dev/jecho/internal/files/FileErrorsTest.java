package dev.jecho.internal.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The reasons come from what really failed: each case does the operation and reads the exception. */
class FileErrorsTest {

    @TempDir
    Path dir;

    @Test
    void writingIntoADirectoryThatDoesNotExistSaysSo() {
        Path file = dir.resolve("x").resolve("y.key");
        IOException e = catchThrowableOfType(() -> Files.writeString(file, "k"), IOException.class);
        assertThat(FileErrors.cannot("write", file, e)).isEqualTo("cannot write " + file + ": no such directory");
        // java.io reports the same failure in its own form: "/x/y.key (No such file or directory)"
        IOException old = catchThrowableOfType(() -> new FileOutputStream(file.toFile()).close(), IOException.class);
        assertThat(FileErrors.why(file, old)).isEqualTo("no such directory");
    }

    @Test
    void readingAFileThatDoesNotExistSaysSo() {
        Path file = dir.resolve("missing.pem");
        IOException e = catchThrowableOfType(() -> Files.readAllBytes(file), IOException.class);
        assertThat(FileErrors.why(file, e)).isEqualTo("no such file");
    }

    @Test
    void readingOrWritingADirectorySaysItIsOne() {
        IOException read = catchThrowableOfType(() -> Files.readAllBytes(dir), IOException.class);
        assertThat(FileErrors.why(dir, read)).isEqualTo("is a directory");
        IOException write = catchThrowableOfType(() -> Files.writeString(dir, "x"), IOException.class);
        assertThat(FileErrors.why(dir, write)).isEqualTo("is a directory");
    }

    @Test
    void creatingAFileThatExistsSaysSo() throws IOException {
        Path file = Files.writeString(dir.resolve("k.key"), "k");
        IOException e = catchThrowableOfType(() -> Files.createFile(file), IOException.class);
        assertThat(FileErrors.why(file, e)).isEqualTo("file exists");
    }

    @Test
    void aPathThroughAFileSaysNotADirectory() throws IOException {
        Path file = Files.writeString(dir.resolve("plain"), "k");
        Path below = file.resolve("y.key");
        IOException e = catchThrowableOfType(() -> Files.writeString(below, "k"), IOException.class);
        assertThat(FileErrors.why(below, e)).isEqualTo(file + " is not a directory");
    }

    @Test
    void permissionDeniedInPlainWords() {
        // Made, not provoked: the tests may run as root, whom no permission stops.
        Path file = dir.resolve("k.key");
        assertThat(FileErrors.why(file, new AccessDeniedException(file.toString()))).isEqualTo("permission denied");
    }
}
