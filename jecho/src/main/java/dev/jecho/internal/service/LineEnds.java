package dev.jecho.internal.service;

/** The line end a line finishes with: {@code \r\n}, {@code \n}, or none. */
final class LineEnds {

    private LineEnds() {
    }

    /** How many of the bytes before {@code end} are a line end: 2 for CRLF, 1 for LF, else 0. */
    static int length(byte[] bytes, int end) {
        if (end > 0 && bytes[end - 1] == '\n') {
            return end > 1 && bytes[end - 2] == '\r' ? 2 : 1;
        }
        return 0;
    }
}
