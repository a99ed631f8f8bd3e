package dev.jecho.internal.server;

import dev.jecho.internal.server.PenaltyPolicy.Offence;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Penalties by source ({@link SourceLimits} keys them by address block), as OpenSSH's {@code srclimit.c}
 * keeps them: an offence adds its duration to
 * the source's expiry (capped at the policy's max from now); the source is refused while more than the
 * policy's min is outstanding. Bounded: past {@code maxSources} the entries closest to expiry go first.
 * Not thread-safe; {@link SourceLimits} holds the lock. Times are nanoseconds from the event loop's ticker.
 */
final class PenaltyTable<K> {

    /** A source's accumulated penalty. */
    static final class Entry<K> {
        final K source;
        final long seq;
        long expiry;
        boolean active;
        Offence last;

        Entry(K source, long seq) {
            this.source = source;
            this.seq = seq;
        }
    }

    private final Comparator<Entry<K>> byExpiryOrder =
            Comparator.<Entry<K>>comparingLong(e -> e.expiry).thenComparingLong(e -> e.seq);

    private final PenaltyPolicy policy;
    private final long minNanos;
    private final long maxNanos;
    private final Map<K, Entry<K>> bySource = new HashMap<>();
    private final TreeSet<Entry<K>> byExpiry = new TreeSet<>(byExpiryOrder);
    private long nextSeq;

    PenaltyTable(PenaltyPolicy policy) {
        this.policy = policy;
        this.minNanos = policy.min().toNanos();
        this.maxNanos = policy.max().toNanos();
    }

    /**
     * The source's active penalty, or null when it may connect.
     */
    Entry<K> refusing(K source, long now) {
        if (bySource.isEmpty()) {
            return null;
        }
        expire(now);
        Entry<K> e = bySource.get(source);
        return e != null && e.active ? e : null;
    }

    /**
     * Adds an offence to the source's penalty.
     *
     * @return true when this offence made the penalty active (the source is refused from now on)
     */
    boolean penalise(K source, Offence offence, long now) {
        long d = policy.enabled() ? policy.durationOf(offence).toNanos() : 0;
        if (d <= 0) {
            return false;
        }
        expire(now);
        Entry<K> e = bySource.get(source);
        if (e == null) {
            e = new Entry<>(source, nextSeq++);
            e.expiry = now + Math.min(d, maxNanos);
            e.active = e.expiry - now > minNanos;
            e.last = offence;
            bySource.put(source, e);
            byExpiry.add(e);
            while (bySource.size() > policy.maxSources()) {
                Entry<K> soonest = byExpiry.pollFirst();
                bySource.remove(soonest.source);
            }
            return e.active && bySource.containsKey(source);
        }
        byExpiry.remove(e);
        e.expiry += d;
        if (e.expiry - now > maxNanos) {
            e.expiry = now + maxNanos;
        }
        e.last = offence;
        boolean activated = false;
        if (!e.active && e.expiry - now > minNanos) {
            e.active = true;
            activated = true;
        }
        byExpiry.add(e);
        return activated;
    }

    /** Nanoseconds of penalty the source still has (active or not); 0 when none. */
    long remaining(K source, long now) {
        Entry<K> e = bySource.get(source);
        return e == null ? 0 : Math.max(0, e.expiry - now);
    }

    int size() {
        return bySource.size();
    }

    private void expire(long now) {
        Entry<K> first;
        while ((first = byExpiry.isEmpty() ? null : byExpiry.first()) != null && first.expiry - now <= 0) {
            byExpiry.pollFirst();
            bySource.remove(first.source);
        }
    }
}
