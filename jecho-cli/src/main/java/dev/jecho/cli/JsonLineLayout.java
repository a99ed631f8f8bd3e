package dev.jecho.cli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.slf4j.event.KeyValuePair;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * {@code --log-format json}: one JSON object per line, for log shippers.
 * <pre>{"time":"2026-11-26T14:01:12.995Z","level":"INFO","logger":"dev.jecho.connections",
 *  "message":"tcp 127.0.0.1:43224 connected","event":"connected","listener":"tcp","peer":"127.0.0.1:43224"}</pre>
 * SLF4J key-value pairs (the connection lines carry {@code event}, {@code peer} and the like) become
 * fields of their own.
 */
final class JsonLineLayout extends LayoutBase<ILoggingEvent> {

    private static final JsonFactory JSON = new JsonFactory();

    @Override
    public String doLayout(ILoggingEvent event) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("time", Instant.ofEpochMilli(event.getTimeStamp()).toString());
            g.writeStringField("level", event.getLevel().toString());
            g.writeStringField("logger", event.getLoggerName());
            g.writeStringField("thread", event.getThreadName());
            g.writeStringField("message", event.getFormattedMessage());
            if (event.getKeyValuePairs() != null) {
                for (KeyValuePair kv : event.getKeyValuePairs()) {
                    if (kv.value instanceof Number n) {
                        g.writeFieldName(kv.key);
                        g.writeNumber(n.toString());
                    } else {
                        g.writeStringField(kv.key, String.valueOf(kv.value));
                    }
                }
            }
            IThrowableProxy error = event.getThrowableProxy();
            if (error != null) {
                g.writeStringField("error", ThrowableProxyUtil.asString(error));
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.append(CoreConstants.LINE_SEPARATOR).toString();
    }
}
