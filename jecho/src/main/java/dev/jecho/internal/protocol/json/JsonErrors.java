package dev.jecho.internal.protocol.json;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * The error objects a JSON-mode server sends instead of a reply, one per bad message, always of the
 * form {@code {"error":CODE,"detail":TEXT}}. Documented in docs/protocol.md.
 */
public final class JsonErrors {

    /** Not JSON, or more than one value in one message. The connection stays usable. */
    public static final String INVALID_JSON = "invalid_json";
    /** The bytes are not UTF-8. The connection stays usable. */
    public static final String INVALID_UTF8 = "invalid_utf8";
    /** Nested deeper than {@link JsonTranscoder#MAX_DEPTH}. The connection stays usable. */
    public static final String TOO_DEEP = "too_deep";
    /** A message longer than the server's --max-line: the server closes the connection after this one. */
    public static final String LINE_TOO_LONG = "line_too_long";
    /**
     * The unfinished messages of all connections hold the server's whole budget for them
     * ({@link PartialMessageBudget}): the server closes the connection after this one.
     */
    public static final String SERVER_BUSY = "server_busy";

    private JsonErrors() {
    }

    /** Writes {@code {"error":"code","detail":"..."}} (no newline). */
    public static void write(ByteBuf out, String code, String detail) {
        out.writeCharSequence("{\"error\":\"" + code + "\",\"detail\":" + JsonTranscoder.quote(detail) + "}", StandardCharsets.UTF_8);
    }
}
