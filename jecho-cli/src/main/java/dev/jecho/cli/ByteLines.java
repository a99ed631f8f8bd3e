package dev.jecho.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into lines without decoding it: each line's bytes as read and its terminator
 * ({@code \n}, {@code \r\n}, or nothing for a last line without one), so that content plus terminator,
 * line after line, is the input again, byte for byte. A lone {@code \r} is content, as on the server.
 */
final class ByteLines {

    /** One line: {@code content} then {@code terminator} are the bytes that were read. */
    record Line(byte[] content, byte[] terminator) {
    }

    static final byte[] LF = {'\n'};
    static final byte[] CRLF = {'\r', '\n'};
    static final byte[] NONE = {};

    private final InputStream in;
    private final int maxContent;
    private final byte[] buffer = new byte[64 * 1024];
    private int position;
    private int limit;
    private byte[] line = new byte[256];
    private int length;

    /**
     * @param maxContent the longest content returned at once: a longer line comes as several lines, all
     *                   but the last without a terminator (memory stays bounded on input with no newline)
     */
    ByteLines(InputStream in, int maxContent) {
        if (maxContent < 1) {
            throw new IllegalArgumentException("maxContent must be positive, got " + maxContent);
        }
        this.in = in;
        this.maxContent = maxContent;
    }

    /** The next line, or null at the end of the input. */
    Line next() throws IOException {
        length = 0;
        while (true) {
            if (position == limit && !fill()) {
                return length == 0 ? null : take(length, NONE);
            }
            int end = position + Math.min(limit - position, maxContent - length);
            for (int i = position; i < end; i++) {
                if (buffer[i] == '\n') {
                    append(position, i - position);
                    position = i + 1;
                    return length > 0 && line[length - 1] == '\r' ? take(length - 1, CRLF) : take(length, LF);
                }
            }
            append(position, end - position);
            position = end;
            if (length == maxContent) {
                return take(length, NONE);
            }
        }
    }

    private boolean fill() throws IOException {
        int n = in.read(buffer);
        if (n <= 0) {
            return false; // read() blocks until a byte comes: 0 is not returned for a buffer of bytes
        }
        position = 0;
        limit = n;
        return true;
    }

    private void append(int from, int count) {
        if (length + count > line.length) {
            line = Arrays.copyOf(line, Math.max(length + count, (int) Math.min(Integer.MAX_VALUE - 8, 2L * line.length)));
        }
        System.arraycopy(buffer, from, line, length, count);
        length += count;
    }

    private Line take(int contentLength, byte[] terminator) {
        return new Line(Arrays.copyOf(line, contentLength), terminator);
    }
}
