package dev.jecho.cli;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every numeric option of every command (numbers, durations, sizes: found in the picocli model by type or
 * converter, so a new option is covered without touching this test) turns a bad value into a one-line usage
 * error naming the option, exit code 2; never the "internal error" line. Zero is a bad value too unless the
 * option says what 0 means (or 0 is its default).
 *
 * <p>Each command runs for real, with arguments that make an accepted value fail fast and harmlessly (a Unix
 * socket in a directory that does not exist), so a value wrongly accepted shows as exit 1 or 3, not a hang.
 */
class NumericOptionsTest {

    private static final Set<Class<?>> NUMERIC_TYPES = Set.of(int.class, Integer.class, long.class, Long.class,
            double.class, Double.class, Duration.class);
    private static final Pattern ZERO_DOCUMENTED = Pattern.compile("(^|\\W)0: ");

    @TempDir
    static Path dir;

    @TestFactory
    Stream<DynamicTest> everyBadNumberIsAOneLineUsageError() {
        List<DynamicTest> tests = new ArrayList<>();
        for (CommandLine command : commands(Main.commandLine(quietIo()))) {
            for (OptionSpec option : command.getCommandSpec().options()) {
                if (!isNumeric(option)) {
                    continue;
                }
                String name = command.getCommandSpec().qualifiedName(" ") + " " + option.longestName();
                for (String bad : badValues(option)) {
                    tests.add(DynamicTest.dynamicTest(name + " '" + bad + "'", () -> assertUsageError(command, option, bad)));
                }
                if (zeroIsDocumented(option)) {
                    tests.add(DynamicTest.dynamicTest(name + " '0' is accepted", () -> {
                        CliTestSupport.Result r = run(command, option, "0");
                        assertThat(r.exitCode()).as(r.err()).isNotEqualTo(ExitCodes.USAGE);
                    }));
                }
            }
        }
        assertThat(tests).as("numeric options found").hasSizeGreaterThan(100);
        return tests.stream();
    }

    private static void assertUsageError(CommandLine command, OptionSpec option, String bad) {
        CliTestSupport.Result r = run(command, option, bad);
        assertThat(r.exitCode()).as("%s %s: %s", option.longestName(), bad, r.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).singleElement().asString()
                .startsWith("jecho: " + option.longestName() + " ")
                .doesNotContain("internal error")
                .endsWith("(see '" + command.getCommandSpec().qualifiedName() + " --help')");
        assertThat(r.out()).isEmpty();
    }

    /** A number, duration or size: by the field's type, or by a converter of {@link Converters.Numeric}. */
    private static boolean isNumeric(OptionSpec option) {
        return NUMERIC_TYPES.contains(option.type())
                || Arrays.stream(option.converters()).anyMatch(c -> c instanceof Converters.Numeric);
    }

    private static boolean zeroIsDocumented(OptionSpec option) {
        return "0".equals(option.defaultValue()) || ZERO_DOCUMENTED.matcher(String.join(" ", option.description())).find();
    }

    private static List<String> badValues(OptionSpec option) {
        List<String> bad = new ArrayList<>(List.of("abc", "", "-1", "99999999999999999999999", "NaN"));
        if (option.type() == Duration.class) {
            bad.add("99999999h");
        }
        if (!zeroIsDocumented(option)) {
            bad.add("0");
        }
        return bad;
    }

    /** The command with the value, plus what makes an accepted value end at once. */
    private static CliTestSupport.Result run(CommandLine command, OptionSpec option, String value) {
        String nowhere = dir.resolve("no-such-directory").resolve("jecho.sock").toString();
        List<String> args = new ArrayList<>(Arrays.asList(command.getCommandSpec().qualifiedName(" ").split(" ")));
        args.remove(0); // "jecho"
        args.add(option.longestName());
        args.add(value);
        switch (command.getCommandName()) {
            case "server" -> args.addAll(List.of("--unix", nowhere));
            case "client" -> args.addAll(List.of("unix:" + nowhere, "-m", "x"));
            case "bench" -> args.add("unix:" + nowhere);
            default -> throw new AssertionError("no harmless arguments for " + command.getCommandName());
        }
        return CliTestSupport.run("", args.toArray(String[]::new));
    }

    private static List<CommandLine> commands(CommandLine root) {
        List<CommandLine> all = new ArrayList<>();
        all.add(root);
        for (CommandLine sub : root.getSubcommands().values()) {
            commands(sub).stream().filter(c -> !all.contains(c)).forEach(all::add);
        }
        return all;
    }

    private static Io quietIo() {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream());
        return new Io(System.in, sink, sink, false);
    }
}
