package dev.jecho.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusListener;

import java.io.PrintStream;

/**
 * Logging without a configuration file: human-readable lines on standard error; jecho at INFO, Netty
 * at WARN. {@code -q} and {@code -v} adjust it, {@code --log-format json} makes it one JSON object per
 * line. Found by logback through {@code META-INF/services}.
 */
public final class LogConfigurator extends ContextAwareBase implements Configurator {

    static final String APPENDER = "stderr";

    /** The two line formats. */
    enum Format { TEXT, JSON }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        ProblemsPrinter problems = new ProblemsPrinter(System.err);
        context.getStatusManager().getCopyOfStatusList().forEach(problems::addStatusEvent);
        context.getStatusManager().add(problems);
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName(APPENDER);
        console.setTarget("System.err");
        console.setEncoder(encoder(context, Format.TEXT));
        console.start();

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(console);
        setVerbosity(context, 0);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /**
     * Logback's own problems (an appender it could not start, say) on standard error, as its status printer
     * would show them. Logback leaves a context that has a listener of its own alone after configuring it,
     * which spares every command the printer's clock format: some 14 ms of each start loading time-zone
     * rules, for a printer that prints nothing when all went well.
     */
    static final class ProblemsPrinter implements StatusListener {
        private final PrintStream out;

        ProblemsPrinter(PrintStream out) {
            this.out = out;
        }

        @Override
        public void addStatusEvent(Status status) {
            if (status.getEffectiveLevel() >= Status.WARN) {
                out.println("jecho: logging: " + status.getMessage()
                        + (status.getThrowable() == null ? "" : " (" + status.getThrowable() + ")"));
            }
        }
    }

    /** -1 quiet (warnings only), 0 normal, 1 jecho's debug lines, 2 and Netty's too. */
    static void setVerbosity(LoggerContext context, int verbosity) {
        context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(verbosity < 0 ? Level.WARN : verbosity >= 2 ? Level.DEBUG : Level.INFO);
        context.getLogger("dev.jecho").setLevel(verbosity < 0 ? Level.WARN : verbosity >= 1 ? Level.DEBUG : Level.INFO);
        context.getLogger("io.netty").setLevel(verbosity >= 2 ? Level.DEBUG : Level.WARN);
    }

    /** Switches the standard-error appender to another line format. */
    static void setFormat(LoggerContext context, Format format) {
        Appender<ILoggingEvent> appender = context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender(APPENDER);
        if (appender instanceof ConsoleAppender<ILoggingEvent> console) {
            console.stop();
            console.setEncoder(encoder(context, format));
            console.start();
        }
    }

    private static Encoder<ILoggingEvent> encoder(LoggerContext context, Format format) {
        LayoutBase<ILoggingEvent> layout = format == Format.JSON ? new JsonLineLayout() : new TextLineLayout();
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        return encoder;
    }
}
