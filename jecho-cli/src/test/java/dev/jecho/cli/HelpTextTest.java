package dev.jecho.cli;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every command's {@code --help} renders cleanly and whole. picocli formats descriptions with
 * {@link String#format}, so a bare {@code %} makes it print a warning of its own to the process's
 * standard error (not to the command's), which only this test sees. And at 80 and 120 columns nothing
 * is cut: no word is broken (the words are those of the help rendered too wide to wrap), no line is
 * wider than the terminal, every example line is shown as written, and every paragraph of a command's
 * description (the first is its summary in the parent's list) is a whole sentence.
 */
class HelpTextTest {

    private static final int[] WIDTHS = {80, 120};
    /** picocli wraps nothing at this width: the words as written. */
    private static final int UNWRAPPED = 4000;

    @ParameterizedTest
    @ValueSource(strings = {"", "server", "client", "bench", "bench merge", "keygen", "completion"})
    void helpRendersWithoutPicocliWarnings(String command) {
        PrintStream realErr = System.err;
        ByteArrayOutputStream stray = new ByteArrayOutputStream();
        CliTestSupport.Result r;
        try {
            System.setErr(new PrintStream(stray, true, StandardCharsets.UTF_8));
            String[] words = command.isEmpty() ? new String[0] : command.split(" ");
            String[] args = java.util.Arrays.copyOf(words, words.length + 1);
            args[words.length] = "--help";
            r = CliTestSupport.run("", args);
        } finally {
            System.setErr(realErr);
        }
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("Usage: jecho");
        assertThat(stray.toString(StandardCharsets.UTF_8)).as("written to System.err").doesNotContain("picocli WARN");
        assertThat(r.err()).doesNotContain("picocli WARN");
    }

    @TestFactory
    Stream<DynamicTest> everyCommandsHelpRendersWholeAt80And120Columns() {
        List<DynamicTest> tests = new ArrayList<>();
        for (List<String> path : commandPaths(Main.commandLine(io(new ByteArrayOutputStream())), new ArrayList<>())) {
            for (int width : WIDTHS) {
                tests.add(DynamicTest.dynamicTest(String.join(" ", path) + " at " + width, () -> rendersWhole(path, width)));
            }
        }
        assertThat(tests).hasSizeGreaterThanOrEqualTo(7 * WIDTHS.length);
        return tests.stream();
    }

    private static void rendersWhole(List<String> path, int width) {
        String help = render(path, width);
        List<String> lines = help.lines().toList();
        assertThat(lines).as("lines wider than %d columns", width).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(width));
        assertThat(words(help)).as("the words, wrapped at spaces only").isEqualTo(words(render(path, UNWRAPPED)));

        CommandLine.Model.CommandSpec spec = command(path).getCommandSpec();
        for (String paragraph : spec.usageMessage().description()) {
            String text = String.format(paragraph).replaceAll("^\\R+|\\R+$", "");
            assertThat(text).as("a description paragraph is one line (blank lines around it aside): picocli wraps it").doesNotContain("\n");
            assertThat(text).as("a description paragraph is a whole sentence").matches("(?s).*[.:]");
        }
        for (String element : spec.usageMessage().footer()) {
            String text = String.format(element).replaceAll("^\\R+|\\R+$", "");
            assertThat(text).as("a footer line breaks only before or after it: %s", element).doesNotContainPattern("\\R");
            if (text.startsWith(" ")) { // an example or a table row: shown as written, so it fits in 80 columns
                assertThat(lines).as("example line shown as written").contains(text);
                assertThat(text).as("a continued example breaks between words").doesNotMatch(".*\\S\\\\$");
            }
        }
        if (path.size() > 0) { // its summary in the parent's list of commands: the header, else the description's first paragraph
            String[] header = spec.usageMessage().header();
            String summary = String.format(header.length > 0 ? header[0] : spec.usageMessage().description()[0]);
            assertThat(String.join(" ", words(render(path.subList(0, path.size() - 1), width))))
                    .contains(String.join(" ", words(summary)));
        }
    }

    @Test
    void helpCommandShowsTheSameAsTheHelpOption() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Main.commandLine(io(out)).execute("help", "bench");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(render(List.of("bench"), 80));
    }

    /** Words as a person reads them; a break after a comma of a list (a=1,b=2) is not inside a word. */
    private static List<String> words(String text) {
        return Arrays.stream(text.split("\\s+|(?<=,)")).filter(w -> !w.isEmpty()).toList();
    }

    private static final Map<String, String> RENDERED = new ConcurrentHashMap<>();

    private static String render(List<String> path, int width) {
        return RENDERED.computeIfAbsent(path + " " + width, key -> renderNow(path, width));
    }

    private static String renderNow(List<String> path, int width) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CommandLine cl = Main.commandLine(io(out));
        cl.setUsageHelpAutoWidth(false);
        cl.setUsageHelpWidth(width);
        List<String> args = new ArrayList<>(path);
        args.add("--help");
        assertThat(cl.execute(args.toArray(String[]::new))).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    private static CommandLine command(List<String> path) {
        CommandLine cl = Main.commandLine(io(new ByteArrayOutputStream()));
        for (String name : path) {
            cl = cl.getSubcommands().get(name);
        }
        return cl;
    }

    private static List<List<String>> commandPaths(CommandLine cl, List<String> path) {
        List<List<String>> all = new ArrayList<>();
        all.add(Collections.unmodifiableList(new ArrayList<>(path)));
        cl.getSubcommands().forEach((name, sub) -> {
            path.add(name);
            all.addAll(commandPaths(sub, path));
            path.remove(path.size() - 1);
        });
        return all;
    }

    private static Io io(ByteArrayOutputStream out) {
        return new Io(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false);
    }
}
