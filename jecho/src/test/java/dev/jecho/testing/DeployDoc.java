package dev.jecho.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The snippets of docs/deploy.md as written, so the tests that run them and the document cannot drift
 * apart. A test changes only what the document says it changes (ports, and the front end's address:
 * loopback), through {@link #replace}, which fails when the text to change is not there exactly once.
 */
public final class DeployDoc {

    private static final Path FILE = Repository.file("docs/deploy.md");
    private static final Pattern FENCE = Pattern.compile("(?m)^```([\\w-]*)\\n(.*?)^```$", Pattern.DOTALL);

    private DeployDoc() {
    }

    /** The one fenced block of docs/deploy.md with this info string ("" for none) that contains {@code marker}. */
    public static String block(String language, String marker) {
        String doc;
        try {
            doc = Files.readString(FILE, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> found = new ArrayList<>();
        Matcher m = FENCE.matcher(doc);
        while (m.find()) {
            if (m.group(1).equals(language) && m.group(2).contains(marker)) {
                found.add(m.group(2));
            }
        }
        if (found.size() != 1) {
            throw new AssertionError(FILE + ": expected one ```" + language + " block containing '" + marker
                    + "', found " + found.size());
        }
        return found.get(0);
    }

    /** {@code text} with {@code from} replaced by {@code to}; {@code from} must occur exactly once. */
    public static String replace(String text, String from, String to) {
        int at = text.indexOf(from);
        if (at < 0 || text.indexOf(from, at + 1) >= 0) {
            throw new AssertionError(FILE + ": the snippet should contain '" + from + "' once:\n" + text);
        }
        return text.substring(0, at) + to + text.substring(at + from.length());
    }

    /**
     * The arguments of the {@code jecho server} lines of a shell block (after {@code jecho}, without a
     * trailing {@code &}), each listening address {@code 127.0.0.1:PORT} turned into {@code 127.0.0.1:0}.
     */
    public static List<List<String>> serverCommands(String shellBlock) {
        List<List<String>> commands = new ArrayList<>();
        for (String line : shellBlock.split("\n")) {
            String l = line.strip();
            if (!l.startsWith("jecho server ")) {
                continue;
            }
            if (l.endsWith("&")) {
                l = l.substring(0, l.length() - 1).strip();
            }
            List<String> args = new ArrayList<>();
            for (String word : l.substring("jecho ".length()).split("\\s+")) {
                args.add(word.replaceAll("^127\\.0\\.0\\.1:\\d+$", "127.0.0.1:0"));
            }
            commands.add(args);
        }
        return commands;
    }
}
