package dev.jecho.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The default log line is what logback's pattern layout makes of jecho's pattern, exceptions included. */
class TextLineLayoutTest {

    @Test
    void linesAreThoseOfThePatternLayout() {
        LoggerContext context = new LoggerContext();
        PatternLayout pattern = new PatternLayout();
        pattern.setContext(context);
        pattern.setPattern("%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level %msg%n");
        pattern.start();
        TextLineLayout text = new TextLineLayout();
        text.setContext(context);
        text.start();
        Logger logger = context.getLogger("dev.jecho.test");
        for (Level level : new Level[] {Level.INFO, Level.WARN, Level.DEBUG, Level.ERROR}) {
            LoggingEvent event = new LoggingEvent("x", logger, level, "tcp {} connected, {} µs", null, new Object[] {"127.0.0.1:4", 12});
            assertThat(text.doLayout(event)).isEqualTo(pattern.doLayout(event)).contains("tcp 127.0.0.1:4 connected, 12 µs");
        }
        LoggingEvent failed = new LoggingEvent("x", logger, Level.ERROR, "it failed", new IllegalStateException("boom", new RuntimeException("root")), null);
        assertThat(text.doLayout(failed)).isEqualTo(pattern.doLayout(failed)).contains("java.lang.IllegalStateException: boom");
    }
}
