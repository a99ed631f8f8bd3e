package dev.jecho.testing;

import java.util.Random;

/** Test payloads and the reference transforms the server's replies are checked against. */
public final class Payloads {

    private Payloads() {
    }

    /** Random bytes, every value 0-255 possible, of a length in [min, max]. */
    public static byte[] random(Random random, int min, int max) {
        byte[] b = new byte[min + random.nextInt(max - min + 1)];
        random.nextBytes(b);
        return b;
    }

    /** The article's {@code bytes.upper()}, one byte at a time: the reference for the upper service. */
    public static byte[] upper(byte[] in) {
        byte[] out = in.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] >= 'a' && out[i] <= 'z') {
                out[i] -= 32;
            }
        }
        return out;
    }
}
