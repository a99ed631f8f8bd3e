package dev.jecho.cli;

import dev.jecho.JechoServer;
import dev.jecho.testing.Repository;
import org.jline.utils.InfoCmp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code jecho client URL} on a real (pseudo-)terminal, as a user runs it: the system terminal, the prompt,
 * a round trip, {@code exit}. The REPL's start-up (issue 11) starts no process of its own: JLine would run
 * {@code test -t} to ask whether a stream is a terminal and {@code infocmp} for the terminal's capabilities.
 */
class ReplOnATerminalTest {

    @TempDir
    Path dir;

    @Test
    void theReplOnATerminalPromptsAnswersAndQuitsWithoutStartingAProcess() throws Exception {
        // Stand-ins for test and infocmp, first on the PATH JLine searches: each notes that it ran, then runs the real one.
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path ran = dir.resolve("ran.txt");
        for (String tool : List.of("test", "infocmp")) {
            Path standIn = bin.resolve(tool);
            Files.writeString(standIn, "#!/bin/sh\necho " + tool + " >> '" + ran + "'\nexec /usr/bin/" + tool + " \"$@\"\n");
            Files.setPosixFilePermissions(standIn, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).start()) {
            List<String> command = new ArrayList<>(List.of("python3",
                    Repository.file("jecho-cli/src/test/resources/repl-on-a-pty.py").toString(), "hello", "HELLO",
                    ProcessHandle.current().info().command().orElse("java"), "-cp", System.getProperty("java.class.path"),
                    "dev.jecho.cli.Main", "client", server.boundEndpoints().get(0).toString(), "--no-history"));
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().put("PATH", bin + ":" + pb.environment().getOrDefault("PATH", "/usr/bin:/bin"));
            pb.environment().put("TERM", "xterm-256color");
            Process p = pb.start();
            String screen = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(screen).isZero();
            assertThat(screen).contains(">>> ").contains("HELLO").contains("client close");
        }
        assertThat(Files.exists(ran) ? Files.readAllLines(ran) : List.of()).as("processes JLine started").isEmpty();
    }

    @Test
    void aCommonTerminalTypesCapabilitiesComeWithJlineAndAnUnknownOneIsLeftToInfocmp() {
        ReplConsole.useBundledCapabilities("screen-256color");
        assertThat(InfoCmp.getLoadedInfoCmp("screen-256color")).isEqualTo(InfoCmp.getDefaultInfoCmp("screen-256color")).isNotBlank();
        ReplConsole.useBundledCapabilities("no-such-terminal");
        assertThat(InfoCmp.getLoadedInfoCmp("no-such-terminal")).isNull();
        ReplConsole.useBundledCapabilities(null);
    }
}
