package dev.jecho.cli;

import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

import java.util.Locale;

/** {@code -v}, {@code -q} and {@code --log-format}, shared by every command. */
final class LoggingOptions {

    @Option(names = {"-v", "--verbose"}, description = "More log output: -v adds jecho's debug lines, -vv Netty's too.")
    boolean[] verbose = new boolean[0];

    @Option(names = {"-q", "--quiet"}, description = "Log only warnings and errors.")
    boolean quiet;

    @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "text", converter = FormatConverter.class,
            description = "Log lines on standard error as text (for people) or json (one object per line, for log"
                    + " shippers). Default: ${DEFAULT-VALUE}.")
    LogConfigurator.Format format = LogConfigurator.Format.TEXT;

    int verbosity() {
        return quiet ? -1 : verbose.length;
    }

    /**
     * Sets logging up as asked. With neither -q, -v nor --log-format json it leaves logging alone: logback
     * then starts, with {@link LogConfigurator}'s defaults (the same settings), only if something logs, so
     * a command that logs nothing ({@code client -m hi}) does not pay for starting it.
     */
    void apply() {
        if (verbosity() == 0 && format == LogConfigurator.Format.TEXT) {
            return;
        }
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            LogConfigurator.setVerbosity(context, verbosity());
            LogConfigurator.setFormat(context, format);
        }
    }

    static final class FormatConverter implements picocli.CommandLine.ITypeConverter<LogConfigurator.Format> {
        @Override
        public LogConfigurator.Format convert(String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "text" -> LogConfigurator.Format.TEXT;
                case "json" -> LogConfigurator.Format.JSON;
                default -> throw new IllegalArgumentException("unknown log format '" + value + "': use text or json");
            };
        }
    }
}
