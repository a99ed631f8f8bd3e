package dev.jecho.internal.server;

import java.math.BigInteger;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes as a person types them in an option or a spec: {@code 65536}, {@code 64k}, {@code 64KiB}, {@code 1m},
 * {@code 1MiB}. One parser for the command line's options and the library's fault specs ({@link FaultSpec}).
 */
public final class SizeText {

    private static final Pattern FORM = Pattern.compile("(\\d+)\\s*([kKmM]i?[bB]?|[bB])?");

    private SizeText() {
    }

    /**
     * A size of 0 or more bytes, at most 2 GiB.
     *
     * @throws IllegalArgumentException saying what the value must be, for the caller to put the option's name in front
     */
    public static int parse(String value) {
        Matcher m = FORM.matcher(value.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(value.trim().startsWith("-")
                    ? "must be 0 or more, got " + value.trim()
                    : "takes a size such as 65536, 64k or 4m, got '" + value + "'");
        }
        BigInteger n = new BigInteger(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2).toLowerCase(Locale.ROOT);
        BigInteger bytes = n.shiftLeft(unit.startsWith("k") ? 10 : unit.startsWith("m") ? 20 : 0);
        if (bytes.compareTo(BigInteger.valueOf(Integer.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("must be at most 2 GiB (" + Integer.MAX_VALUE + " bytes), got " + value.trim());
        }
        return bytes.intValue();
    }

    /** The short form: {@code 64KiB}, {@code 1MiB}, or bytes. */
    public static String format(long bytes) {
        return bytes != 0 && bytes % (1 << 20) == 0 ? (bytes >> 20) + "MiB"
                : bytes != 0 && bytes % 1024 == 0 ? (bytes >> 10) + "KiB" : Long.toString(bytes);
    }
}
