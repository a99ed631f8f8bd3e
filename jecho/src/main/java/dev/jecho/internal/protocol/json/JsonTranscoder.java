package dev.jecho.internal.protocol.json;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.util.concurrent.FastThreadLocal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;

/**
 * One JSON text in, the same value out, compact: the article's {@code json.dumps(json.loads(data))}.
 * Tokens are copied as they are parsed (no tree), numbers keep their exact text (no float rounding),
 * string values, not keys, may be transformed (the upper service). Checks, each with its error code:
 * valid UTF-8, valid JSON, exactly one value, nesting at most {@link #MAX_DEPTH} deep.
 */
public final class JsonTranscoder {

    /** Deeper nesting is refused: a parser's recursion and a reply's size must stay bounded. */
    public static final int MAX_DEPTH = 128;
    private static final int MAX_DETAIL = 160;
    private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[16 * 1024];
        }
    };

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH + 1)       // ours reports first, with our error code
                    .maxNumberLength(Integer.MAX_VALUE)   // numbers are copied as text, never converted
                    .build())
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8) // an emoji stays 4 UTF-8 bytes, not two escapes
            .build();

    private JsonTranscoder() {
    }

    /**
     * Re-serializes the JSON text in {@code in} (its readable bytes; not consumed) into {@code out}.
     *
     * @param strings applied to every string value, or null to leave them unchanged
     * @throws JsonProblem if the text is not one acceptable JSON value; {@code out} may then hold a partial result
     */
    public static void transcode(ByteBuf in, ByteBuf out, UnaryOperator<String> strings) throws JsonProblem {
        // One bulk copy of a direct buffer into an array (reused for small messages): validation and
        // parsing then run over plain memory.
        int length = in.readableBytes();
        byte[] data;
        int offset;
        if (in.hasArray()) {
            data = in.array();
            offset = in.arrayOffset() + in.readerIndex();
        } else {
            byte[] scratch = SCRATCH.get();
            data = length <= scratch.length ? scratch : new byte[length];
            in.getBytes(in.readerIndex(), data, 0, length);
            offset = 0;
        }
        if (!Utf8.isValid(data, offset, length)) {
            throw new JsonProblem(JsonErrors.INVALID_UTF8, "the message is not valid UTF-8");
        }
        try (JsonParser parser = FACTORY.createParser(data, offset, length);
             JsonGenerator gen = FACTORY.createGenerator((OutputStream) new ByteBufOutputStream(out), JsonEncoding.UTF8)) {
            copyValue(parser, gen, strings);
            JsonToken extra = parser.nextToken();
            if (extra != null) {
                throw new JsonProblem(JsonErrors.INVALID_JSON, "more than one JSON value in one message"
                        + at(parser.currentTokenLocation()));
            }
        } catch (JsonProcessingException e) {
            throw new JsonProblem(JsonErrors.INVALID_JSON, shorten(e.getOriginalMessage()) + at(e.getLocation()));
        } catch (IOException e) {
            throw new JsonProblem(JsonErrors.INVALID_JSON, shorten(String.valueOf(e.getMessage())));
        }
    }

    private static void copyValue(JsonParser parser, JsonGenerator gen, UnaryOperator<String> strings)
            throws IOException, JsonProblem {
        JsonToken token = parser.nextToken();
        if (token == null) {
            throw new JsonProblem(JsonErrors.INVALID_JSON, "empty message: expected a JSON value");
        }
        int depth = 0;
        do {
            switch (token) {
                case START_OBJECT, START_ARRAY -> {
                    if (++depth > MAX_DEPTH) {
                        throw new JsonProblem(JsonErrors.TOO_DEEP, "nesting deeper than " + MAX_DEPTH + " levels");
                    }
                    gen.copyCurrentEvent(parser);
                }
                case END_OBJECT, END_ARRAY -> {
                    depth--;
                    gen.copyCurrentEvent(parser);
                }
                case VALUE_STRING -> {
                    if (strings == null) {
                        gen.writeString(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
                    } else {
                        gen.writeString(strings.apply(parser.getText()));
                    }
                }
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> gen.writeNumber(parser.getText()); // exact text
                default -> gen.copyCurrentEvent(parser); // field names, true, false, null
            }
            if (depth == 0) {
                return;
            }
            token = parser.nextToken();
        } while (token != null);
        throw new JsonProblem(JsonErrors.INVALID_JSON, "unexpected end of message inside a value");
    }

    private static String at(JsonLocation location) {
        return location == null || location.getColumnNr() < 1 ? "" : " at column " + location.getColumnNr();
    }

    private static String shorten(String message) {
        String m = message.replace('\n', ' ');
        return m.length() <= MAX_DETAIL ? m : m.substring(0, MAX_DETAIL) + "...";
    }

    /**
     * What a client sends for a line the user typed: the line itself (compacted) when it is one JSON
     * value, otherwise the line as a JSON string, as the article's client does with {@code json.dumps}.
     */
    public static String fromUserInput(String line) {
        ByteBuf in = io.netty.buffer.Unpooled.wrappedBuffer(line.getBytes(StandardCharsets.UTF_8));
        ByteBuf out = io.netty.buffer.Unpooled.buffer(line.length() + 2);
        try {
            transcode(in, out, null);
            return out.toString(StandardCharsets.UTF_8);
        } catch (JsonProblem notJson) {
            return quote(line);
        } finally {
            out.release();
            in.release();
        }
    }

    /** A JSON string literal of {@code text}. */
    public static String quote(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 2);
        sb.append('"');
        com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(text, sb);
        return sb.append('"').toString();
    }
}
