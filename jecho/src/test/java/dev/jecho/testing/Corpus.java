package dev.jecho.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The stored inputs under {@code src/test/resources/corpus/} that every run replays: the cases a property
 * test found worth keeping, and the edge cases written down by hand.
 */
public final class Corpus {

    private Corpus() {
    }

    /** The lines of a text corpus, without comments ({@code #}); blank lines are kept only if they hold a tab. */
    public static List<String> lines(String name) {
        try (InputStream in = Corpus.class.getResourceAsStream("/corpus/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no corpus file " + name);
            }
            List<String> lines = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.startsWith("#") && (!line.isBlank() || line.indexOf('\t') >= 0)) {
                    lines.add(line);
                }
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The files of a binary corpus directory, sorted by name. */
    public static List<Path> files(String directory) {
        URL url = Corpus.class.getResource("/corpus/" + directory);
        if (url == null) {
            throw new IllegalStateException("no corpus directory " + directory);
        }
        try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
            return files.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
