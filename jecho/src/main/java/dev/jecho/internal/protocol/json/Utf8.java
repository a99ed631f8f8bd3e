package dev.jecho.internal.protocol.json;

/**
 * Strict UTF-8 validation (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF, no
 * truncated sequence. Runs over an array, with a fast path for ASCII.
 */
final class Utf8 {

    private Utf8() {
    }

    static boolean isValid(byte[] b, int offset, int length) {
        int i = offset;
        int end = offset + length;
        while (i < end) {
            int c = b[i];
            if (c >= 0) {
                i++;
                continue;
            }
            c &= 0xff;
            if (c >= 0xc2 && c <= 0xdf) {
                if (i + 1 >= end || !continuation(b[i + 1])) {
                    return false;
                }
                i += 2;
            } else if (c >= 0xe0 && c <= 0xef) {
                if (i + 2 >= end || !continuation(b[i + 1]) || !continuation(b[i + 2])) {
                    return false;
                }
                int c1 = b[i + 1] & 0xff;
                if ((c == 0xe0 && c1 < 0xa0) || (c == 0xed && c1 > 0x9f)) {
                    return false; // overlong, or a UTF-16 surrogate
                }
                i += 3;
            } else if (c >= 0xf0 && c <= 0xf4) {
                if (i + 3 >= end || !continuation(b[i + 1]) || !continuation(b[i + 2]) || !continuation(b[i + 3])) {
                    return false;
                }
                int c1 = b[i + 1] & 0xff;
                if ((c == 0xf0 && c1 < 0x90) || (c == 0xf4 && c1 > 0x8f)) {
                    return false; // overlong, or above U+10FFFF
                }
                i += 4;
            } else {
                return false;
            }
        }
        return true;
    }

    private static boolean continuation(byte b) {
        return (b & 0xc0) == 0x80;
    }
}
