package dev.jecho.cli;

import dev.jecho.JechoServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A short command loads only what it needs (issue 11: start-up is mostly class loading and picocli's
 * model): {@code --version} builds no picocli model, starts no logging and probes no native transport;
 * {@code client URL -m} builds no picocli model and loads no JLine, no Jackson, no HdrHistogram. Checked in a
 * process of its own, from the JVM's own list of the classes it loaded.
 */
class StartupTest {

    @TempDir
    Path dir;

    @Test
    void versionBuildsNoVerbStartsNoLoggingAndProbesNoNativeTransport() throws Exception {
        Run run = jecho("--version");
        assertThat(run.out).startsWith("jecho ").contains("Netty 4.2.18.Final, Java ").doesNotContain("native transports");
        assertThat(run.out.lines()).hasSize(2);
        assertThat(run.loaded).noneMatch(c -> c.startsWith("dev.jecho.cli.") && c.endsWith("Command"))
                .noneMatch(c -> c.startsWith("ch.qos.logback."))
                .noneMatch(c -> c.startsWith("io.netty.channel.epoll.") || c.startsWith("io.netty.channel.uring."))
                .noneMatch(c -> c.startsWith("org.jline."));
        assertThat(run.loaded).as("answered without building picocli's model").doesNotContain("picocli.CommandLine$Model$CommandSpec");
        assertThat(jecho("-V").out).isEqualTo(run.out);
    }

    @Test
    void versionVerboseSaysWhichNativeTransportsLoad() throws Exception {
        assertThat(jecho("--version", "--verbose").out).containsPattern("native transports: epoll (un)?available, io_uring (un)?available");
        assertThat(jecho("client", "--version", "-v").out).contains("native transports: epoll ");
    }

    @Test
    void aClientMessageLoadsNoOtherVerbNoJlineNoJacksonNoHdrHistogram() throws Exception {
        try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).start()) {
            Run run = jecho("client", server.boundEndpoints().get(0).toString(), "-m", "hi");
            assertThat(run.out).isEqualTo("HI\n");
            assertThat(run.loaded).contains("dev.jecho.cli.ClientCommand")
                    .doesNotContain("dev.jecho.cli.ServerCommand", "dev.jecho.cli.BenchCommand", "dev.jecho.cli.KeygenCommand")
                    .noneMatch(c -> c.startsWith("org.jline."))
                    .noneMatch(c -> c.startsWith("com.fasterxml.jackson."))
                    .noneMatch(c -> c.startsWith("org.HdrHistogram."));
            assertThat(run.loaded).as("a URL and a message need no picocli model").doesNotContain("picocli.CommandLine$Model$CommandSpec");
            assertThat(run.loaded).as("the client's channels use Netty's default allocator, not the server's pool")
                    .doesNotContain("io.netty.buffer.PoolArena");
        }
    }

    @Test
    void aCommandLineBuildsTheVerbItNamesAndHelpOrAMistakeBuildsThemAll() {
        assertThat(Main.verbsFor("--version")).isEmpty();
        assertThat(Main.verbsFor("-V", "--verbose")).isEmpty();
        assertThat(Main.verbsFor("client", "-m", "hi")).containsExactly("client");
        assertThat(Main.verbsFor("bench", "merge", "a.json")).containsExactly("bench");
        Set<String> all = Set.of("server", "client", "completion", "keygen", "bench", "help");
        assertThat(Main.verbsFor()).containsExactlyInAnyOrderElementsOf(all);
        assertThat(Main.verbsFor("help", "server")).containsExactlyInAnyOrderElementsOf(all);
        assertThat(Main.verbsFor("completion")).containsExactlyInAnyOrderElementsOf(all);
        assertThat(Main.verbsFor("clint")).containsExactlyInAnyOrderElementsOf(all);
        assertThat(Main.verbsFor("--help")).containsExactlyInAnyOrderElementsOf(all);
        assertThat(CliTestSupport.run("", "clint").err()).isEqualTo("jecho: Unmatched argument at index 0: 'clint' (see 'jecho --help')\n");
    }

    /** The REPL's console is started before parsing only for a command line that runs the REPL. */
    @Test
    void theConsoleIsStartedEarlyOnlyForTheRepl() {
        Io terminal = new Io(InputStream.nullInputStream(), System.out, System.err, true);
        Io pipe = new Io(InputStream.nullInputStream(), System.out, System.err, false);
        assertThat(Main.startsARepl(terminal, "client", "127.0.0.1:7")).isTrue();
        assertThat(Main.startsARepl(terminal, "client", "127.0.0.1:7", "--no-history")).isTrue();
        assertThat(Main.startsARepl(pipe, "client", "127.0.0.1:7")).isFalse();
        assertThat(Main.startsARepl(terminal, "client", "127.0.0.1:7", "-m", "hi")).isFalse();
        assertThat(Main.startsARepl(terminal, "client", "-mhi", "127.0.0.1:7")).isFalse();
        assertThat(Main.startsARepl(terminal, "client", "--message=hi", "127.0.0.1:7")).isFalse();
        assertThat(Main.startsARepl(terminal, "client", "--help")).isFalse();
        assertThat(Main.startsARepl(terminal, "server")).isFalse();
        assertThat(Main.startsARepl(terminal)).isFalse();
    }

    /** Netty's start-up overlaps the parsing for a command that opens sockets, unless its own logging was asked for. */
    @Test
    void nettyIsPreloadedForACommandThatOpensSocketsAndNotBeforeItsLoggingIsSet() {
        assertThat(Main.opensSockets("client", "127.0.0.1:7", "-m", "hi")).isTrue();
        assertThat(Main.opensSockets("server", "--tcp", "127.0.0.1:0")).isTrue();
        assertThat(Main.opensSockets("bench", "127.0.0.1:7")).isTrue();
        assertThat(Main.opensSockets("server", "-vv")).isFalse();
        assertThat(Main.opensSockets("server", "--log-format", "json")).isFalse();
        assertThat(Main.opensSockets("client", "--help")).isFalse();
        assertThat(Main.opensSockets("keygen")).isFalse();
        assertThat(Main.opensSockets("--version")).isFalse();
        assertThat(Main.opensSockets()).isFalse();
    }

    /**
     * picocli's own jar is Java 5 bytecode, which the JVM can neither keep in a start-up archive nor link
     * ahead of time, and picocli is most of a short command's work: jecho runs it compiled for Java 17
     * (jecho-picocli).
     */
    @Test
    void picocliIsJava17BytecodeThatAStartUpArchiveCanHold() throws Exception {
        for (Class<?> type : new Class<?>[] {picocli.CommandLine.class, picocli.CommandLine.Model.CommandSpec.class, picocli.AutoComplete.class}) {
            String file = "/" + type.getName().replace('.', '/') + ".class";
            try (var in = type.getResourceAsStream(file)) {
                assertThat(in).as(file).isNotNull();
                byte[] header = in.readNBytes(8);
                int major = (header[6] & 0xff) << 8 | (header[7] & 0xff);
                assertThat(major).as("class file version of %s", type.getName()).isEqualTo(61);
            }
        }
    }

    private record Run(String out, List<String> loaded) {
    }

    /** jecho in a JVM of its own (this one's java and class path), with the classes it loaded. */
    private Run jecho(String... args) throws Exception {
        Path classes = dir.resolve("classes-" + System.nanoTime() + ".txt");
        Path out = dir.resolve("out-" + System.nanoTime() + ".txt");
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xlog:class+load=info:file=" + classes, "-cp", System.getProperty("java.class.path"), "dev.jecho.cli.Main"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("jecho finished").isTrue();
        String said = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(said).isZero();
        List<String> loaded = new ArrayList<>();
        for (String line : Files.readAllLines(classes, StandardCharsets.UTF_8)) {
            String[] words = line.split(" ");
            for (int i = 0; i + 1 < words.length; i++) {
                if (words[i].endsWith("[class,load]")) {
                    loaded.add(words[i + 1]);
                }
            }
        }
        assertThat(loaded).as("the class-loading log").contains("dev.jecho.cli.Main");
        return new Run(said, loaded);
    }
}
