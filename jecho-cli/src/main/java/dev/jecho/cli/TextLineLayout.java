package dev.jecho.cli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * The default log line, {@code 2026-11-26 14:01:12.995 INFO  tcp 127.0.0.1:43224 connected}, and the stack
 * trace of an exception logged with it: what the pattern {@code %d{yyyy-MM-dd HH:mm:ss.SSS} %-5level %msg%n}
 * gives, written directly. Logback's pattern layout would compile the pattern first, some eighty classes
 * loaded at every start of every command, which logs nothing in most of them.
 */
final class TextLineLayout extends LayoutBase<ILoggingEvent> {

    /** Made at the first line, not when logging is set up: most commands log nothing. */
    private static final class Clock {
        static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(128);
        Clock.TIME.formatTo(Instant.ofEpochMilli(event.getTimeStamp()).atZone(ZoneId.systemDefault()), line);
        String level = event.getLevel().toString();
        line.append(' ').append(level);
        for (int pad = level.length(); pad < 5; pad++) {
            line.append(' ');
        }
        line.append(' ').append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
        IThrowableProxy error = event.getThrowableProxy();
        if (error != null) {
            line.append(ThrowableProxyUtil.asString(error));
        }
        return line.toString();
    }
}
