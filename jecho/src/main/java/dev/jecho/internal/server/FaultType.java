package dev.jecho.internal.server;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The faults a server can inject, by the word a spec names them with ({@link FaultSpec}): on stream connections
 * (TCP, Unix sockets) each acts on one direction of one connection; on UDP each acts on the replies.
 */
public enum FaultType {
    LATENCY(true), BANDWIDTH(true), SLICE(true), STALL(true), CLOSE_AFTER(true), RESET_AFTER(true),
    SLOW_CLOSE(true), REFUSE(true), CORRUPT(true),
    LOSS(false), DUPLICATE(false), REORDER(false), DELAY(false), TRUNCATE(false);

    private final boolean stream;

    FaultType(boolean stream) {
        this.stream = stream;
    }

    /** On stream connections; else on datagrams. */
    public boolean stream() {
        return stream;
    }

    /** The word in a spec: {@code close-after}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static FaultType of(String word) {
        for (FaultType t : values()) {
            if (t.word().equals(word)) {
                return t;
            }
        }
        return null;
    }

    static String words(boolean stream) {
        return Arrays.stream(values()).filter(t -> t.stream == stream).map(FaultType::word).collect(Collectors.joining(", "));
    }
}
