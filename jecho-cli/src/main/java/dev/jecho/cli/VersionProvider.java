package dev.jecho.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;

/**
 * {@code --version} through picocli ({@link Versions} says what): with {@code jecho --verbose} or a command's
 * {@code -v} it also says which native transports load.
 */
final class VersionProvider implements CommandLine.IVersionProvider {

    @Spec
    CommandSpec spec;

    @Override
    public String[] getVersion() {
        return Versions.lines(verbose()).toArray(new String[0]);
    }

    /** Whether the command's --verbose was given: a flag on {@code jecho}, a repeatable {@code -v} on a verb. */
    private boolean verbose() {
        OptionSpec option = spec == null ? null : spec.findOption("--verbose");
        if (option == null) {
            return false;
        }
        Object value = option.getValue();
        return value instanceof Boolean b ? b : value instanceof boolean[] many && many.length > 0;
    }
}
