package dev.jecho.testing;

import io.netty.buffer.ByteBufUtil;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The stored inputs of a generated-input test (src/test/resources/fuzz/NAME), replayed on every run. */
public final class FuzzCorpus {

    private FuzzCorpus() {
    }

    /** Every input in the folder: {@code .hex} files are hex digits (spaces allowed), others raw bytes. */
    public static List<byte[]> load(String name) {
        try {
            Path dir = Path.of(FuzzCorpus.class.getResource("/fuzz/" + name).toURI());
            try (Stream<Path> files = Files.list(dir)) {
                return files.filter(p -> !p.getFileName().toString().endsWith(".md")).sorted().map(FuzzCorpus::read).toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] read(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            if (file.getFileName().toString().endsWith(".hex")) {
                return ByteBufUtil.decodeHexDump(new String(bytes, java.nio.charset.StandardCharsets.US_ASCII).replaceAll("\\s", ""));
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
