package dev.jecho.internal.service;

import dev.jecho.Service;

import java.nio.ByteBuffer;

/**
 * RFC 864, the character generator, on streams only: from connect, lines of 72 of the 95 printable ASCII
 * characters (space to tilde), each line starting one character later than the one before, ended by CRLF;
 * what the client sends is thrown away. The stream repeats every 95 lines, so one period, built once,
 * serves every offset. Never on UDP: a spoofed datagram would send a line to a victim who asked for
 * nothing (CVE-1999-0103, the chargen/echo loop and amplifier).
 */
public final class Chargen implements Service {

    public static final Chargen INSTANCE = new Chargen();

    static final int PRINTABLE = 95;
    static final int LINE = 72;
    /** A line with its CRLF. */
    static final int LINE_BYTES = LINE + 2;
    /** The stream repeats after this many bytes. */
    static final int PERIOD = PRINTABLE * LINE_BYTES;
    private static final byte[] CYCLE = cycle();
    private static final Output OUTPUT = Chargen::fill;

    private Chargen() {
    }

    private static byte[] cycle() {
        byte[] cycle = new byte[PERIOD];
        int at = 0;
        for (int line = 0; line < PRINTABLE; line++) {
            for (int i = 0; i < LINE; i++) {
                cycle[at++] = (byte) (' ' + (line + i) % PRINTABLE);
            }
            cycle[at++] = '\r';
            cycle[at++] = '\n';
        }
        return cycle;
    }

    private static void fill(long offset, ByteBuffer into) {
        int at = (int) Math.floorMod(offset, (long) PERIOD);
        while (into.hasRemaining()) {
            int n = Math.min(into.remaining(), PERIOD - at);
            into.put(CYCLE, at, n);
            at = 0;
        }
    }

    @Override
    public String name() {
        return "chargen";
    }

    @Override
    public String description() {
        return "rotating lines of printable ASCII from connect, input thrown away (RFC 864; TCP and Unix sockets only)";
    }

    @Override
    public byte[] reply(byte[] message) {
        return null;
    }

    @Override
    public String replyToText(String text) {
        return null;
    }

    @Override
    public Framing framing() {
        return Framing.BYTES;
    }

    @Override
    public boolean replies() {
        return false;
    }

    @Override
    public boolean datagrams() {
        return false;
    }

    @Override
    public Output output() {
        return OUTPUT;
    }

    @Override
    public String toString() {
        return name();
    }
}
