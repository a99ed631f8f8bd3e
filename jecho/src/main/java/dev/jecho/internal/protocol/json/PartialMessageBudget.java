package dev.jecho.internal.protocol.json;

import io.netty.handler.codec.DecoderException;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes that the JSON framers of all a server's connections together may hold in messages not yet
 * complete. {@code --max-line} bounds one connection; this bounds the sum, which would otherwise grow with
 * the number of connections (10,000 of them at 1 MiB each are 10 GiB, past any direct-memory limit). Each
 * framer charges what it holds after every read and gives it back as the message completes or the
 * connection closes; a read that would take the total past the limit is refused, and its connection gets
 * {@link JsonErrors#SERVER_BUSY} and is closed. Thread-safe: every event loop charges the same budget.
 */
public final class PartialMessageBudget {

    /** No limit: for a client, or a pipeline of its own in a test. Charges nothing. */
    public static final PartialMessageBudget UNLIMITED = new PartialMessageBudget(Long.MAX_VALUE);

    private final long limit;
    private final AtomicLong held = new AtomicLong();

    public PartialMessageBudget(long limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("the budget for unfinished messages must be at least 1 byte, got " + limit);
        }
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }

    /** The bytes held in unfinished messages now, all connections together. */
    public long held() {
        return held.get();
    }

    boolean unlimited() {
        return this == UNLIMITED;
    }

    /** Moves one connection's charge from {@code from} to {@code to} bytes; false, charging nothing, past the limit. */
    boolean recharge(long from, long to) {
        long more = to - from;
        if (more <= 0) {
            held.addAndGet(more);
            return true;
        }
        while (true) {
            long now = held.get();
            if (now + more > limit) {
                return false;
            }
            if (held.compareAndSet(now, now + more)) {
                return true;
            }
        }
    }

    /** What a framer reports (as {@code exceptionCaught}) when the budget has no room for its message. */
    public static final class ExhaustedException extends DecoderException {

        private final long limit;

        ExhaustedException(long limit) {
            super("the server's unfinished messages reached their limit of " + limit + " bytes");
            this.limit = limit;
        }

        /** The budget's limit in bytes. */
        public long limit() {
            return limit;
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this; // routine under load, never a bug: no stack trace to fill
        }
    }
}
