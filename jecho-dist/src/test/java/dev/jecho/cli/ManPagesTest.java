package dev.jecho.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The man pages as a reader sees them: generated from the model, made roff by asciidoctor as
 * packaging/build.sh does, rendered by man. Every option of every command is on its page, with its
 * parameter, in the synopsis and in the list; and so are the examples and exit codes of the command's
 * --help footer.
 */
class ManPagesTest {

    @TempDir
    Path dir;

    @Test
    void everyOptionAndTheExamplesAreOnTheRenderedPages() throws Exception {
        assumeTrue(onPath("asciidoctor") && onPath("man"), "asciidoctor and man are needed to render the pages");
        Path adoc = dir.resolve("adoc");
        Path roff = dir.resolve("roff");
        ManPages.main(new String[] {adoc.toString()});
        List<String> render = new ArrayList<>(List.of("asciidoctor", "-b", "manpage", "-D", roff.toString()));
        try (Stream<Path> pages = Files.list(adoc)) {
            pages.map(Path::toString).sorted().forEach(render::add);
        }
        assertThat(run(render)).isEmpty();

        List<CommandLine> commands = new ArrayList<>();
        collect(ManPages.commandLine(), commands);
        assertThat(commands).hasSizeGreaterThanOrEqualTo(7);
        for (CommandLine command : commands) {
            String name = command.getCommandSpec().qualifiedName("-");
            String page = run(List.of("man", "-l", roff.resolve(name + ".1").toString()));
            String synopsis = page.substring(page.indexOf("SYNOPSIS"), page.indexOf("DESCRIPTION"));
            for (OptionSpec option : command.getCommandSpec().options()) {
                if (option.hidden()) {
                    continue;
                }
                boolean takesValue = option.arity().max() > 0;
                String shown = takesValue ? option.longestName() + "=" + option.paramLabel() : option.longestName();
                assertThat(page).as("%s in the options of %s", shown, name).contains(shown);
                if (takesValue) {
                    String inSynopsis = option.shortestName() + "=" + option.paramLabel();
                    assertThat(synopsis).as("%s in the synopsis of %s", inSynopsis, name).contains(inSynopsis);
                }
            }
        }
        String server = run(List.of("man", "-l", roff.resolve("jecho-server.1").toString()));
        assertThat(server).contains("EXAMPLES").contains("jecho server --tcp [::1]:7 --service echo    RFC 862 echo")
                .contains("Exit codes: 0 ok");
    }

    @Test
    void bracketsInAParameterLabelAreEscapedForAsciidoctor() {
        assertThat(ManPages.escapeBrackets("[*--source-prefix*=_V4[:V6]_] [*--tcp*=_HOST:PORT_]..."))
                .isEqualTo("[*--source-prefix*=_V4{startsb}:V6{endsb}_] [*--tcp*=_HOST:PORT_]...");
    }

    private static void collect(CommandLine command, List<CommandLine> into) {
        into.add(command);
        command.getSubcommands().values().forEach(sub -> collect(sub, into));
    }

    /** Runs a command with a wide page (no wrapping inside an option's line) and returns its output. */
    private String run(List<String> command) throws Exception {
        Path out = Files.createTempFile(dir, "out", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("MANWIDTH", "250");
        pb.environment().put("MAN_KEEP_FORMATTING", "");
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
        String said = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("%s: %s", command, said).isZero();
        return said;
    }

    private static boolean onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }
}
