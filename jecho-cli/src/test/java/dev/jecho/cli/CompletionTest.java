package dev.jecho.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code jecho completion} offers, for every option that takes one of a set of values (an enum in the
 * model, so a new one is covered), those values as the option accepts them: lower case, and each one
 * parses. The generated script runs in bash, as a user's shell runs it.
 */
class CompletionTest {

    @TempDir
    Path dir;

    @Test
    void everyOptionWithASetOfValuesCompletesThemInLowerCase() throws Exception {
        File bash = new File("/bin/bash");
        assumeTrue(bash.canExecute(), "bash is needed to run the completion script");
        CliTestSupport.Result generated = CliTestSupport.run("", "completion");
        assertThat(generated.exitCode()).isZero();
        Path script = dir.resolve("jecho-completion.bash");
        Files.writeString(script, generated.out());

        Map<String, List<String>> expected = new LinkedHashMap<>(); // "server --transport" -> values
        StringBuilder driver = new StringBuilder("source '" + script + "' 2>/dev/null\n");
        CommandLine root = Main.commandLine(new Io(new ByteArrayInputStream(new byte[0]), sink(), sink(), false));
        collect(root, new ArrayList<>(), expected, Main.commandLine(new Io(new ByteArrayInputStream(new byte[0]), sink(), sink(), false)));
        assertThat(expected).as("options with a set of values").containsKeys("server --service", "server --transport",
                "client --transport", "bench --mode", "server --log-format", "client --legacy-auth", "client --expect",
                "bench --check");
        assertThat(expected.get("server --service")).as("the registered services").startsWith("echo", "upper", "discard", "chargen");
        for (String words : expected.keySet()) {
            // bash hands the function the command, the word being completed and the word before it.
            String[] w = words.split(" ");
            driver.append("COMP_WORDS=(jecho ").append(words).append(" '')\n")
                    .append("COMP_CWORD=").append(w.length + 1).append('\n')
                    .append("COMPREPLY=()\n")
                    .append("_complete_jecho jecho '' ").append(w[w.length - 1]).append(" 2>/dev/null\n")
                    .append("echo \"").append(words).append("=${COMPREPLY[*]}\"\n");
        }
        Process p = new ProcessBuilder(bash.getPath(), "--norc", "--noprofile", "-c", driver.toString()).redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("bash finished").isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        Map<String, List<String>> offered = new LinkedHashMap<>();
        for (String line : out.lines().toList()) {
            int eq = line.indexOf('=');
            if (eq > 0 && expected.containsKey(line.substring(0, eq))) {
                offered.put(line.substring(0, eq), List.of(line.substring(eq + 1).split(" ")));
            }
        }
        assertThat(offered).as(out).isEqualTo(expected);
    }

    /**
     * For each enum option: its constants' names in lower case, each checked to parse as a value of it; for each
     * option with a set of values that is no enum (the registered services): those values, each checked to parse.
     */
    private static void collect(CommandLine command, List<String> path, Map<String, List<String>> expected, CommandLine parser) {
        for (OptionSpec option : command.getCommandSpec().options()) {
            if (!option.type().isEnum()) {
                if (option.completionCandidates() != null) {
                    List<String> values = new ArrayList<>();
                    for (String value : option.completionCandidates()) {
                        List<String> args = new ArrayList<>(path);
                        args.add(option.longestName() + "=" + value);
                        parser.parseArgs(args.toArray(String[]::new)); // throws if the option refuses it
                        values.add(value);
                    }
                    expected.put(String.join(" ", path) + (path.isEmpty() ? "" : " ") + option.longestName(), values);
                }
                continue;
            }
            List<String> values = new ArrayList<>();
            for (Object constant : option.type().getEnumConstants()) {
                String value = ((Enum<?>) constant).name().toLowerCase(java.util.Locale.ROOT);
                List<String> args = new ArrayList<>(path);
                args.add(option.longestName() + "=" + value);
                CommandLine.ParseResult parsed = parser.parseArgs(args.toArray(String[]::new));
                while (parsed.hasSubcommand()) {
                    parsed = parsed.subcommand();
                }
                assertThat((Object) parsed.matchedOptionValue(option.longestName(), null)).as(args.toString()).isEqualTo(constant);
                values.add(value);
            }
            expected.put(String.join(" ", path) + (path.isEmpty() ? "" : " ") + option.longestName(), values);
        }
        command.getSubcommands().forEach((name, sub) -> {
            path.add(name);
            collect(sub, path, expected, parser);
            path.remove(path.size() - 1);
        });
    }

    private static PrintStream sink() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }
}
