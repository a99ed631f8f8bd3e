package dev.jecho.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.codegen.docgen.manpage.ManPageGenerator;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes the AsciiDoc of jecho's man pages, one per command ({@code jecho.adoc}, {@code jecho-server.adoc},
 * {@code jecho-bench-merge.adoc}, ...), with picocli's own generator from the same model that {@code --help}
 * renders, so a page can never miss an option. {@code packaging/build.sh} turns them into roff with
 * asciidoctor. In jecho-cli's package because the whole command line ({@link Main#commandLine(Io)}) is
 * package-private there: jecho-cli has no public API but its {@code main}.
 */
public final class ManPages {

    private ManPages() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: ManPages OUTPUT_DIRECTORY");
            System.exit(2);
        }
        File directory = new File(args[0]);
        if (!directory.isDirectory() && !directory.mkdirs()) {
            throw new IOException("cannot create " + directory);
        }
        CommandLine jecho = commandLine();
        prepare(jecho);
        int code = ManPageGenerator.generateManPage(directory, null, new boolean[0], true, jecho.getCommandSpec());
        if (code != 0) {
            System.exit(code);
        }
        rewrite(jecho, directory);
    }

    /**
     * Each page as the generator wrote it, but with brackets in parameter labels escaped, and with the
     * command's footer (its examples, notes and exit codes) as a literal block: the generator makes it one
     * filled paragraph, which loses the examples' columns.
     */
    private static void rewrite(CommandLine command, File directory) throws IOException {
        CommandSpec spec = command.getCommandSpec();
        Path page = directory.toPath().resolve(spec.qualifiedName("-") + ".adoc");
        String adoc = escapeBrackets(Files.readString(page, StandardCharsets.UTF_8));
        Files.writeString(page, withFooter(adoc, spec.usageMessage()), StandardCharsets.UTF_8);
        for (CommandLine sub : command.getSubcommands().values()) {
            rewrite(sub, directory);
        }
    }

    /**
     * For the generator: no wrapping (man fills lines to the reader's terminal itself, and picocli's own
     * wrapping breaks after {@code :} inside a parameter label, {@code START:RATE:FULL}, splitting its
     * markup); and a heading for the footer, without which the generator leaves out the examples and the
     * exit codes.
     */
    private static void prepare(CommandLine command) {
        UsageMessageSpec usage = command.getCommandSpec().usageMessage();
        usage.autoWidth(false).width(UNWRAPPED);
        boolean examples = Arrays.stream(usage.footer()).anyMatch(line -> line.contains("Examples:"));
        usage.footerHeading(examples ? "Examples" : "Exit status");
        command.getSubcommands().values().forEach(ManPages::prepare);
    }

    private static final String FOOTER_START = "// tag::picocli-generated-man-section-footer[]";
    private static final String FOOTER_END = "// end::picocli-generated-man-section-footer[]";

    /** The page with its footer section in a literal block under the heading {@link #prepare} gave it. */
    static String withFooter(String adoc, UsageMessageSpec usage) {
        int start = adoc.indexOf(FOOTER_START);
        int end = adoc.indexOf(FOOTER_END);
        if (start < 0 || end < start || usage.footer().length == 0) {
            return adoc;
        }
        StringBuilder text = new StringBuilder();
        for (String line : String.format(String.join("%n", usage.footer())).split("\\R")) {
            // prose (a line that starts a paragraph) is wrapped to fit a terminal; examples and tables keep their columns
            text.append(line.startsWith(" ") ? line : HelpLayout.wrap(line, PROSE_WIDTH, 0, false).replace(System.lineSeparator(), "\n"))
                    .append('\n');
        }
        String body = text.toString().replaceFirst("^\\s*\\n", "").replaceFirst("^Examples:\\n", "").stripTrailing();
        String section = FOOTER_START + "\n== " + usage.footerHeading() + "\n\n....\n" + body + "\n....\n";
        return adoc.substring(0, start) + section + adoc.substring(end);
    }

    /**
     * A parameter label with square brackets ({@code _V4[:V6]_}) reads to asciidoctor as an attribute list,
     * and the option vanishes from the page: the brackets are written as the attributes that stand for them.
     */
    static String escapeBrackets(String adoc) {
        Matcher label = LABEL_WITH_BRACKETS.matcher(adoc);
        StringBuilder out = new StringBuilder();
        while (label.find()) {
            String escaped = label.group().replace("[", "{startsb}").replace("]", "{endsb}");
            label.appendReplacement(out, Matcher.quoteReplacement(escaped));
        }
        label.appendTail(out);
        return out.toString();
    }

    private static final Pattern LABEL_WITH_BRACKETS = Pattern.compile("(?<==)_[^_\\s\\[]*\\[[^_\\s]*_");

    private static final int UNWRAPPED = 4000;
    /** man indents a literal block by 11 columns: prose lines this wide fit 80. */
    private static final int PROSE_WIDTH = 68;

    /** jecho's command line, every verb in it; its streams go nowhere (nothing runs). */
    static CommandLine commandLine() {
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
        return Main.commandLine(new Io(new ByteArrayInputStream(new byte[0]), nowhere, nowhere, false));
    }
}
