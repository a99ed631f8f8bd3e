package dev.jecho.cli;

import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs {@code jecho} in-process with captured streams, as a script would see it. */
final class CliTestSupport {

    record Result(int exitCode, String out, String err) {
        String[] errLines() {
            return err.isEmpty() ? new String[0] : err.split("\n");
        }
    }

    private CliTestSupport() {
    }

    static Result run(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Io io = new Io(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), false);
        int code = execute(io, args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** As {@link #run}, with these environment variables instead of the process's. */
    static Result runWithEnv(java.util.Map<String, String> env, String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Io io = new Io(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), false, env::get);
        int code = execute(io, args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * Runs a command in this JVM. Logging settings are process-wide (-q, -v, --log-format), so they are put
     * back afterwards: a later test that reads log lines must not find them silenced.
     */
    static int execute(Io io, String... args) {
        try {
            return Main.execute(io, args);
        } finally {
            LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
            LogConfigurator.setVerbosity(context, 0);
            LogConfigurator.setFormat(context, LogConfigurator.Format.TEXT);
        }
    }
}
