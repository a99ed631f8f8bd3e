package dev.jecho.internal.server;

import io.netty.channel.Channel;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The connections' part of a graceful stop, once the listeners are closed: every open connection drains
 * ({@link DrainHandler}: its last replies, then a clean end of stream) for at most the drain timeout, and
 * whatever is still open then is closed (the hard stop: a client that never reads).
 */
public final class Drain {

    private final OpenConnections open;
    private final Duration timeout;

    public Drain(OpenConnections open, Duration timeout) {
        this.open = open;
        this.timeout = timeout;
    }

    /**
     * What a drain did.
     *
     * @param connections      the connections it drained or closed
     * @param hardClosed       those the hard stop closed
     * @param unsentReplyBytes the replies those still held
     */
    public record Outcome(int connections, int hardClosed, long unsentReplyBytes) {
    }

    /**
     * Drains, blocking the caller (never an event loop) until every connection is closed or, two seconds after the
     * hard stop, given up on.
     *
     * @param cutShort true once the drain must end at once (a second Ctrl-C)
     */
    public Outcome run(long started, BooleanSupplier cutShort) {
        long deadline = started + timeout.toNanos();
        Set<Channel> draining = new HashSet<>();
        while (!cutShort.getAsBoolean() && System.nanoTime() - deadline < 0 && open.size() > 0) {
            for (Channel ch : open.channels()) { // again each time: one accepted just before the stop
                if (draining.add(ch)) {
                    ch.eventLoop().execute(() -> DrainHandler.beginAfterFirstMessageGrace(ch));
                }
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }

        List<Channel> left = open.snapshot();
        long unsent = 0;
        String reason = timeout.isZero() ? "server stopping"
                : "hard stop: replies not delivered within " + ConnectionSweeper.text(timeout);
        for (Channel ch : left) {
            draining.add(ch);
            unsent += ServerCounters.pendingBytes(ch);
            ch.eventLoop().execute(() -> {
                CloseReason.set(ch, reason);
                ch.close();
            });
        }
        long closedBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (open.size() > 0 && System.nanoTime() - closedBy < 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        return new Outcome(draining.size(), left.size(), unsent);
    }
}
