package dev.jecho.cli;

import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/** {@code -v} and {@code -q}, shared by every command. */
final class LoggingOptions {

    @Option(names = {"-v", "--verbose"}, description = "More log output: -v adds jecho's debug lines, -vv Netty's too.")
    boolean[] verbose = new boolean[0];

    @Option(names = {"-q", "--quiet"}, description = "Log only warnings and errors.")
    boolean quiet;

    int verbosity() {
        return quiet ? -1 : verbose.length;
    }

    void apply() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            LogConfigurator.setVerbosity(context, verbosity());
        }
    }
}
