package dev.jecho.cli;

import dev.jecho.Service;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * The "Services:" section of {@code jecho server --help}, after the options: each registered service with
 * its description, read from the registry when the help is shown (so a service on the class path shows up,
 * and a command that shows no help does not load the registry).
 */
final class ServicesHelp implements CommandLine.IModelTransformer {

    static final String SECTION = "services";

    @Override
    public CommandSpec transform(CommandSpec spec) {
        UsageMessageSpec usage = spec.usageMessage();
        List<String> keys = new ArrayList<>(usage.sectionKeys());
        keys.add(keys.indexOf(UsageMessageSpec.SECTION_KEY_OPTION_LIST) + 1, SECTION);
        usage.sectionKeys(keys);
        usage.sectionMap().put(SECTION, help -> text());
        return spec;
    }

    static String text() {
        List<Service> services = Service.registered();
        int width = services.stream().mapToInt(s -> s.name().length()).max().orElse(0);
        StringBuilder sb = new StringBuilder(System.lineSeparator()).append("Services (--service):").append(System.lineSeparator());
        for (Service s : services) {
            sb.append("  ").append(s.name()).append(" ".repeat(width - s.name().length() + 2))
                    .append(s.description().isEmpty() ? "-" : s.description()).append(System.lineSeparator());
        }
        return sb.toString();
    }
}
