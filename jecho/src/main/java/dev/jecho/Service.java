package dev.jecho;

import dev.jecho.internal.service.AsciiUpper;
import dev.jecho.internal.service.TextUpper;
import io.netty.buffer.ByteBuf;

/**
 * What a message gets back. Both services preserve length, so a client knows how many bytes to wait for.
 */
public enum Service {

    /** RFC 862: the bytes come back unchanged. */
    ECHO("echo", "the bytes back unchanged (RFC 862)") {
        @Override
        public void applyInPlace(ByteBuf bytes) {
            // nothing to do: the reply is the request
        }

        @Override
        public String applyToText(String text) {
            return text;
        }
    },

    /**
     * The article's {@code data.upper()} on the byte stream: ASCII a-z become A-Z and every other byte is
     * unchanged, so UTF-8 passes through intact and the reply has the request's length.
     */
    UPPER("upper", "ASCII a-z to A-Z, every other byte unchanged (the article's data.upper())") {
        @Override
        public void applyInPlace(ByteBuf bytes) {
            AsciiUpper.inPlace(bytes);
        }

        @Override
        public String applyToText(String text) {
            return TextUpper.of(text);
        }
    };

    private final String cliName;
    private final String description;

    Service(String cliName, String description) {
        this.cliName = cliName;
        this.description = description;
    }

    /** Transforms the readable bytes of a buffer in place; reader and writer indexes are unchanged. */
    public abstract void applyInPlace(ByteBuf bytes);

    /** Transforms a JSON string value (JSON mode applies the service to string values, not keys). */
    public abstract String applyToText(String text);

    public String cliName() {
        return cliName;
    }

    public String description() {
        return description;
    }

    public static Service parse(String text) {
        for (Service s : values()) {
            if (s.cliName.equalsIgnoreCase(text.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown service '" + text + "': use upper or echo");
    }
}
