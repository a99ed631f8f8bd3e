package dev.jecho.internal.service;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * ASCII upper-casing of a byte buffer, eight bytes at a time: word access on a ByteBuffer is compiled to plain
 * loads and stores.
 */
public final class AsciiUpper {

    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long LOW_SEVEN = 0x7F7F7F7F7F7F7F7FL;

    private AsciiUpper() {
    }

    /**
     * Upper-cases the bytes from the view's position to its limit. The transform is the same for every byte,
     * so byte order does not matter: native order spares a swap (the view's order is changed).
     */
    public static void inPlace(ByteBuffer view) {
        view.order(ByteOrder.nativeOrder());
        inPlace(view, view.position(), view.limit());
    }

    private static void inPlace(ByteBuffer view, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            view.putLong(i, flipLowerCase(view.getLong(i)));
        }
        for (; i < to; i++) {
            byte b = view.get(i);
            if (b >= 'a' && b <= 'z') {
                view.put(i, (byte) (b - ('a' - 'A')));
            }
        }
    }

    /**
     * Clears bit 5 of every byte of {@code word} that is in 'a'..'z' (SWAR). Adding to the low seven bits of
     * each byte cannot carry into the next byte, so each byte is compared on its own; bytes with the high
     * bit set (non-ASCII, UTF-8 continuation) are never touched.
     */
    static long flipLowerCase(long word) {
        long low7 = word & LOW_SEVEN;
        long atLeastA = low7 + (0x80 - 'a') * ONES;     // high bit set where byte >= 'a'
        long aboveZ = low7 + (0x80 - 'z' - 1) * ONES;   // high bit set where byte > 'z'
        long lower = atLeastA & ~aboveZ & ~word & HIGH_BITS;
        return word ^ (lower >>> 2);                     // 0x80 >>> 2 == 0x20, the case bit
    }
}
