package dev.jecho.testing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;

/**
 * Random JSON values, already compact, as the server writes them back: nested objects and arrays,
 * strings with escapes, control characters, accents, CJK and astral characters, and numbers of every
 * shape JSON allows (negative zero, exponents, huge integers, long fractions).
 */
public final class RandomJson {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8).build();
    private static final String[] NUMBERS = {"0", "-0", "1", "-1", "1e400", "-2.5E-300", "1E+2", "0.1000",
            "123456789012345678901234567890123456789", "3.141592653589793238462643383279", "9007199254740993",
            "-9223372036854775809", "6.02214076e23", "1.0"};
    private static final String[] PIECES = {"a", "Z", " ", "ü", "ß", "你好", "😀", "\n", "\t", "\"", "\\", "/", "\u0001",
            "\u2028", "é", "𝄞", "x", "echo", "JSON"};

    private RandomJson() {
    }

    /** A compact JSON text of about {@code targetBytes} bytes (UTF-8), never containing a raw newline. */
    public static byte[] value(Random random, int targetBytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(targetBytes + 256);
        try (JsonGenerator gen = FACTORY.createGenerator(out)) {
            int[] budget = {targetBytes};
            if (random.nextBoolean()) {
                object(random, gen, budget, 0);
            } else {
                array(random, gen, budget, 0);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void any(Random random, JsonGenerator gen, int[] budget, int depth) throws IOException {
        int kind = random.nextInt(depth > 20 ? 5 : 7);
        switch (kind) {
            case 0 -> gen.writeNumber(NUMBERS[random.nextInt(NUMBERS.length)]);
            case 1 -> gen.writeBoolean(random.nextBoolean());
            case 2 -> gen.writeNull();
            case 3, 4 -> {
                String text = string(random, 1 + random.nextInt(Math.max(1, Math.min(budget[0] / 3, 2000))));
                gen.writeString(text);
                budget[0] -= text.length() * 2;
            }
            case 5 -> object(random, gen, budget, depth + 1);
            default -> array(random, gen, budget, depth + 1);
        }
        budget[0] -= 8;
    }

    private static void object(Random random, JsonGenerator gen, int[] budget, int depth) throws IOException {
        gen.writeStartObject();
        int n = 1 + random.nextInt(8);
        for (int i = 0; i < n || (depth == 0 && budget[0] > 0); i++) {
            gen.writeFieldName("k" + i + string(random, random.nextInt(4)));
            int before = budget[0];
            any(random, gen, budget, depth);
            budget[0] = Math.min(budget[0], before - 16);
            if (budget[0] <= 0 && depth > 0) {
                break;
            }
        }
        gen.writeEndObject();
    }

    private static void array(Random random, JsonGenerator gen, int[] budget, int depth) throws IOException {
        gen.writeStartArray();
        int n = 1 + random.nextInt(8);
        for (int i = 0; i < n || (depth == 0 && budget[0] > 0); i++) {
            int before = budget[0];
            any(random, gen, budget, depth);
            budget[0] = Math.min(budget[0], before - 8);
            if (budget[0] <= 0 && depth > 0) {
                break;
            }
        }
        gen.writeEndArray();
    }

    private static String string(Random random, int pieces) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < pieces; i++) {
            sb.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return sb.toString();
    }

    /** A size in [min, max], log-uniform: as many small values as large ones. */
    public static int logUniformSize(Random random, int min, int max) {
        double lo = Math.log(min);
        double hi = Math.log(max);
        return (int) Math.exp(lo + random.nextDouble() * (hi - lo));
    }
}
