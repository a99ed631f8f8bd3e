package dev.jecho.cli;

import picocli.CommandLine;
import picocli.CommandLine.IHelpSectionRenderer;
import picocli.CommandLine.Model.UsageMessageSpec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Wraps {@code --help} at spaces only. picocli wraps with the JDK's line {@link java.text.BreakIterator},
 * which also breaks after {@code :} and {@code -}: {@code --tcp=HOST:} / {@code PORT]...},
 * {@code http://HOST:} / {@code PORT/metrics}. So each help section is rendered unwrapped and wrapped here
 * at the width picocli would have used (the terminal's, at most {@link #MAX_WIDTH}; or as set), never
 * inside a word: a word longer than a line is broken after a comma of its list, or else stands alone.
 */
final class HelpLayout {

    /** Wider lines are hard to read, however wide the terminal: the most a terminal's width gives. */
    static final int MAX_WIDTH = 120;
    /** Wide enough that picocli wraps nothing of ours. */
    private static final int UNWRAPPED = 4000;
    /** picocli's indent of a table cell's wrapped lines. */
    private static final int TABLE_INDENT = 2;
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;]*m");
    private static final Set<String> TABLES = Set.of(UsageMessageSpec.SECTION_KEY_PARAMETER_LIST,
            UsageMessageSpec.SECTION_KEY_OPTION_LIST, UsageMessageSpec.SECTION_KEY_COMMAND_LIST,
            UsageMessageSpec.SECTION_KEY_EXIT_CODE_LIST);

    private HelpLayout() {
    }

    /** Makes this command and every subcommand wrap its help here. */
    static void apply(CommandLine command) {
        UsageMessageSpec usage = command.getCommandSpec().usageMessage();
        usage.autoWidth(true);
        Map<String, IHelpSectionRenderer> sections = new LinkedHashMap<>();
        usage.sectionMap().forEach((key, renderer) -> sections.put(key, wrapping(key, renderer)));
        usage.sectionMap(sections);
        command.getSubcommands().values().forEach(HelpLayout::apply);
    }

    private static IHelpSectionRenderer wrapping(String key, IHelpSectionRenderer renderer) {
        return help -> {
            UsageMessageSpec usage = help.commandSpec().usageMessage();
            boolean auto = usage.autoWidth();
            int width = auto ? Math.min(usage.width(), MAX_WIDTH) : usage.width();
            usage.autoWidth(false).width(UNWRAPPED);
            String text;
            try {
                text = renderer.render(help);
            } finally {
                usage.width(width).autoWidth(auto);
            }
            if (key.equals(UsageMessageSpec.SECTION_KEY_SYNOPSIS)) {
                // Follows "Usage: " on its line; continued under the first option, after the command's name.
                int heading = help.synopsisHeadingLength();
                int indent = heading + help.commandSpec().qualifiedName().length() + 1;
                return wrap(" ".repeat(heading) + text, width, indent, false).substring(heading);
            }
            return wrap(text, width, -1, TABLES.contains(key));
        };
    }

    /**
     * Wraps each line of {@code text} longer than {@code width} at its spaces. A wrapped line continues
     * under its text column (after the first gap of two or more spaces: a table's second column, an
     * example's explanation), in a table two further in, as picocli does; or at {@code indent} if given.
     */
    static String wrap(String text, int width, int indent, boolean table) {
        StringBuilder out = new StringBuilder();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) {
                out.append(System.lineSeparator());
            }
            String line = lines[i];
            int continued = indent >= 0 ? indent : textColumn(line) + (table ? TABLE_INDENT : 0);
            wrapLine(line, width, Math.min(continued, width / 2), out);
        }
        return out.toString();
    }

    private static void wrapLine(String line, int width, int indent, StringBuilder out) {
        String rest = visibleLength(line) > width ? stripTrailing(line) : line;
        int restIndent = leadingSpaces(line);
        while (visibleLength(rest) > width) {
            int cut = breakAt(rest, width, restIndent);
            if (cut < 0) {
                break; // one word wider than the line, with no comma to break at: it stands alone, whole
            }
            out.append(stripTrailing(rest.substring(0, cut))).append(System.lineSeparator());
            rest = " ".repeat(indent) + rest.substring(cut).stripLeading();
            restIndent = indent;
        }
        out.append(rest);
    }

    /**
     * Where to break a line too wide: at the last space within {@code width} visible columns after its
     * indent; in a word wider than a whole line (a list such as {@code authfail:5s,timeout:10s,...}),
     * after its last comma that fits; else at the first space after (the word overflows, whole); -1 for none.
     */
    private static int breakAt(String line, int width, int indent) {
        int lastSpace = -1;
        int lastComma = -1;
        int firstSpaceAfter = -1;
        int visible = 0;
        for (int i = indent; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\u001B') {
                Matcher escape = ANSI.matcher(line).region(i, line.length());
                if (escape.lookingAt()) {
                    i = escape.end() - 1;
                    continue;
                }
            }
            int column = indent + visible++;
            if (c == ' ' && line.charAt(i - 1) != ' ' && i > indent) {
                if (column <= width) {
                    lastSpace = i;
                } else {
                    firstSpaceAfter = i;
                    break;
                }
            } else if (c == ',' && column < width && i + 1 < line.length() && line.charAt(i + 1) != ' ') {
                lastComma = i + 1;
            }
        }
        if (lastSpace > 0) {
            return lastSpace;
        }
        return lastComma > 0 ? lastComma : firstSpaceAfter;
    }

    /** Where the text of a line starts: after its first gap of two or more spaces, or after its indent. */
    static int textColumn(String line) {
        String plain = ANSI.matcher(line).replaceAll("");
        int start = leadingSpaces(plain);
        int gap = plain.indexOf("  ", start);
        if (gap < 0) {
            return start;
        }
        int text = leadingSpaces(plain.substring(gap)) + gap;
        return text < plain.length() ? text : start;
    }

    private static int leadingSpaces(String s) {
        int n = 0;
        while (n < s.length() && s.charAt(n) == ' ') {
            n++;
        }
        return n;
    }

    private static int visibleLength(String s) {
        return s.indexOf('\u001B') < 0 ? s.length() : ANSI.matcher(s).replaceAll("").length();
    }

    private static String stripTrailing(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == ' ') {
            end--;
        }
        return s.substring(0, end);
    }
}
