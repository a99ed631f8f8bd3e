package dev.jecho.internal.client;

import java.nio.channels.ClosedChannelException;

/**
 * A failure's own words, for a message a user reads. Many exceptions carry no message (Netty's
 * {@link ClosedChannelException}, a bare {@code IOException}), and {@code "failed: " + getMessage()}
 * then reads "failed: null".
 */
public final class Causes {

    private Causes() {
    }

    /** The message, else the message of the first cause that has one, else the exception's kind. */
    public static String describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage();
            if (message != null && !message.isBlank()) {
                return message;
            }
        }
        if (failure == null) {
            return "unknown failure";
        }
        return failure instanceof ClosedChannelException ? "connection closed" : failure.getClass().getSimpleName();
    }
}
