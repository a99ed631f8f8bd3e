package dev.jecho.cli;

import dev.jecho.testing.Repository;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which start-up archive the launchers (bin/jecho, the installed jecho) map for a command line
 * ({@code jecho_kind} in packaging/jvm-flags.sh): each archive is loaded whole at start, so a command
 * must get the smallest one that holds what it runs.
 */
class LauncherKindTest {

    @Test
    void eachCommandLineGetsTheArchiveOfItsKind() throws Exception {
        assertThat(kind(false, "--version")).isEqualTo("version");
        assertThat(kind(false, "-V")).isEqualTo("version");
        assertThat(kind(false, "--version", "--verbose")).isEqualTo("jecho");
        assertThat(kind(false, "--help")).isEqualTo("jecho");
        assertThat(kind(false, "keygen")).isEqualTo("jecho");
        assertThat(kind(false, "server", "--tcp", "127.0.0.1:0")).isEqualTo("server");
        assertThat(kind(false, "bench", "127.0.0.1:7")).isEqualTo("bench");
        assertThat(kind(false, "client", "127.0.0.1:7")).isEqualTo("client");
    }

    /** A URL and messages run without picocli (ClientCommand.plain): their archive holds no picocli model. */
    @Test
    void aClientCommandLineWithOtherOptionsGetsTheArchiveWithPicocli() throws Exception {
        assertThat(kind(false, "client")).isEqualTo("client");
        assertThat(kind(false, "client", "-m", "hi", "udp://[::1]:7", "--message", "a b", "-m", "")).isEqualTo("client");
        assertThat(kind(false, "client", "127.0.0.1:7", "--timeout", "2s", "-m", "hi")).isEqualTo("client-options");
        assertThat(kind(false, "client", "-mhi")).isEqualTo("client-options");
        assertThat(kind(false, "client", "-m")).isEqualTo("client-options");
        assertThat(kind(false, "client", "-m", "-v")).isEqualTo("client-options");
        assertThat(kind(false, "client", "@args")).isEqualTo("client-options");
        assertThat(kind(false, "client", "127.0.0.1:7", "127.0.0.1:8")).isEqualTo("client-options");
        assertThat(kind(false, "client", "--help")).isEqualTo("client-options");
    }

    @Test
    void onATerminalTheClientIsTheReplUnlessItIsGivenAMessage() throws Exception {
        assertThat(kind(true, "client", "127.0.0.1:7")).isEqualTo("repl");
        assertThat(kind(true, "client", "127.0.0.1:7", "-m", "hi")).isEqualTo("client");
        assertThat(kind(true, "client", "-mhi", "127.0.0.1:7")).isEqualTo("client-options");
        assertThat(kind(true, "client", "127.0.0.1:7", "--message=hi")).isEqualTo("client-options");
        assertThat(kind(true, "client", "127.0.0.1:7", "--no-history")).isEqualTo("repl");
    }

    /** JECHO_KIND for ARGS, with standard input and output a pseudo-terminal (util-linux script) or pipes. */
    private static String kind(boolean onATerminal, String... args) throws Exception {
        String flags = Repository.file("packaging/jvm-flags.sh").toString();
        List<String> shell = new ArrayList<>(List.of("sh", "-c", ". '" + flags + "'; jecho_kind \"$@\"; echo \"kind=$JECHO_KIND\"", "sh"));
        shell.addAll(List.of(args));
        List<String> command = shell;
        if (onATerminal) {
            StringBuilder line = new StringBuilder();
            for (String word : shell) {
                line.append(" '").append(word.replace("'", "'\\''")).append('\'');
            }
            command = List.of("script", "-qec", line.toString(), "/dev/null");
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(out).as(String.join(" ", args)).contains("kind=");
        return out.substring(out.indexOf("kind=") + 5).strip();
    }
}
