package dev.jecho.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every command's {@code --help} renders cleanly. picocli formats descriptions with
 * {@link String#format}, so a bare {@code %} makes it print a warning of its own to the process's
 * standard error (not to the command's), which only this test sees.
 */
class HelpTextTest {

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
}
