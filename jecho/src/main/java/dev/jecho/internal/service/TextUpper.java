package dev.jecho.internal.service;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code text.toUpperCase(Locale.ROOT)} in linear time. The JDK's own (17 to 25 at least) grows its result
 * array by a copy for every character whose upper case is longer ({@code ß} to {@code SS}, {@code ΐ} to three
 * chars), so a string of them costs the square of its length: a 1 MiB JSON string held an event loop for
 * minutes. Upper-casing in {@link Locale#ROOT} maps each code point on its own (only Turkish, Azeri and
 * Lithuanian look at context), so the text is cut before and after each such character: the runs between
 * them go through the JDK (no growth inside them), each such character is replaced by its own upper case,
 * computed once by the JDK. The result is the JDK's, code point for code point; only the time differs.
 */
public final class TextUpper {

    /** Below this no character's upper case is longer ({@code ß}, U+00DF, is the first). */
    private static final char FIRST_EXPANDING = '\u00df';
    /** Bit c set: the BMP character c upper-cases to more than one char. */
    private static final long[] EXPANDS = new long[(Character.MAX_VALUE + 1) / 64];
    /** Their upper case (about a hundred of them). */
    private static final Map<Character, String> EXPANSION;

    static {
        Map<Character, String> expansion = new HashMap<>();
        // Only lower- and title-case letters have special upper-case mappings (Unicode's SpecialCasing.txt, all
        // in the BMP); scanning just those keeps class loading cheap. TextUpperTest checks every code point.
        for (int c = FIRST_EXPANDING; c <= Character.MAX_VALUE; c++) {
            int type = Character.getType(c);
            if (type != Character.LOWERCASE_LETTER && type != Character.TITLECASE_LETTER) {
                continue;
            }
            String upper = String.valueOf((char) c).toUpperCase(Locale.ROOT);
            if (upper.length() > 1) {
                EXPANDS[c >>> 6] |= 1L << c;
                expansion.put((char) c, upper);
            }
        }
        EXPANSION = Map.copyOf(expansion);
    }

    private TextUpper() {
    }

    public static String of(String text) {
        int next = nextExpanding(text, 0);
        if (next < 0) {
            return text.toUpperCase(Locale.ROOT); // the common case: nothing grows, the JDK is linear
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        int from = 0;
        while (next >= 0) {
            if (next > from) {
                out.append(text.substring(from, next).toUpperCase(Locale.ROOT));
            }
            out.append(EXPANSION.get(text.charAt(next)));
            from = next + 1;
            next = nextExpanding(text, from);
        }
        if (from < text.length()) {
            out.append(text.substring(from).toUpperCase(Locale.ROOT));
        }
        return out.toString();
    }

    /** Whether the BMP character {@code c} upper-cases to more than one char. */
    static boolean expands(char c) {
        return c >= FIRST_EXPANDING && (EXPANDS[c >>> 6] & (1L << c)) != 0;
    }

    /** The index of the first character at or after {@code from} whose upper case is longer, or -1. */
    private static int nextExpanding(String text, int from) {
        for (int i = from, n = text.length(); i < n; i++) {
            if (expands(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
