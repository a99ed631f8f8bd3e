package dev.jecho.internal.server;

/**
 * Text a peer had a hand in (an exception message quoting its bytes, such as a TLS error's hex dump of a
 * record that was not TLS, or a malformed PROXY header's text) made fit for one log line: control and
 * format characters escaped, so a peer cannot break or forge lines nor send escape sequences to a terminal,
 * and the whole cut to {@link #MAX_CHARS}, so one connection cannot fill the log with its bytes.
 */
final class PeerText {

    /** Longer texts are cut and say how long they were. */
    static final int MAX_CHARS = 120;

    private PeerText() {
    }

    /**
     * {@code text} with CR, LF and tab as {@code \r \n \t}, every other control, format or line-separator
     * character as {@code \xNN} or <code>&#92;uNNNN</code>, cut to {@link #MAX_CHARS} followed by
     * {@code ...(N chars)}; {@code null} stays {@code "null"}.
     */
    static String bounded(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_CHARS) + 20);
        int i = 0;
        for (; i < text.length() && out.length() < MAX_CHARS; i++) {
            char c = text.charAt(i);
            if (!needsEscape(c)) {
                out.append(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (c < 0x100) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        if (i < text.length()) {
            out.append("...(").append(text.length()).append(" chars)");
        }
        return out.toString();
    }

    private static boolean needsEscape(char c) {
        if (c >= 0x20 && c < 0x7f) {
            return false;
        }
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                 Character.SURROGATE, Character.UNASSIGNED, Character.PRIVATE_USE -> true;
            default -> false;
        };
    }
}
