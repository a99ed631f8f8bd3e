package dev.jecho.internal.server;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * A token bucket per source address for one UDP listener, kept as one number per source (the generic cell
 * rate algorithm: the time at which the source's bucket is full again). A source may send {@code burst}
 * datagrams at once and then {@code rate} a second; the rest are dropped. With a spoofed source address
 * the "source" is the victim of a reflection attack, so this caps what jecho sends to any one address.
 *
 * <p>The table is bounded: a source whose bucket has refilled carries no information and is pruned when
 * the table is full; if it is still full (a flood from more sources than it holds), new sources share one
 * overflow bucket, so neither memory nor the total reply rate to unknown sources can grow. One per listener,
 * shared by its sockets, one per event loop (a source's ports may land on different ones): a lock per datagram
 * from a source that is not exempt. Times are nanoseconds from the loops' tickers (one clock).
 */
public final class DatagramRateLimiter {

    private static final class Slot {
        /** When this source's bucket is full again (theoretical arrival time), or NEVER before its first datagram. */
        long fullAt = ConnectionTracker.NEVER;
    }

    private final long interval;
    private final long tolerance;
    private final int maxSources;
    private final Map<InetAddress, Slot> slots = new HashMap<>();
    private final Slot overflow = new Slot();
    private long lastPrune = ConnectionTracker.NEVER;

    /**
     * @param rate       datagrams a second, at least 1
     * @param burst      datagrams at once, at least 1
     * @param maxSources sources tracked one by one
     */
    public DatagramRateLimiter(int rate, int burst, int maxSources) {
        this.interval = 1_000_000_000L / rate;
        this.tolerance = interval * (burst - 1L);
        this.maxSources = maxSources;
    }

    /** Whether a datagram from this source may be answered now; takes its token if so. */
    synchronized boolean tryAcquire(InetAddress source, long now) {
        Slot slot = slots.get(source);
        if (slot == null) {
            if (slots.size() >= maxSources) {
                prune(now);
            }
            if (slots.size() >= maxSources) {
                slot = overflow;
            } else {
                slot = new Slot();
                slots.put(source, slot);
            }
        }
        long t = slot.fullAt != ConnectionTracker.NEVER && slot.fullAt - now > 0 ? slot.fullAt : now;
        if (t - now > tolerance) {
            return false;
        }
        slot.fullAt = t + interval;
        return true;
    }

    /** Sources tracked one by one now. */
    synchronized int trackedSources() {
        return slots.size();
    }

    /** Forgets sources whose bucket has refilled; at most once per refill time, so a full table costs little. */
    private void prune(long now) {
        if (lastPrune != ConnectionTracker.NEVER && now - lastPrune < Math.max(tolerance + interval, 1_000_000L)) {
            return;
        }
        lastPrune = now;
        for (Iterator<Slot> it = slots.values().iterator(); it.hasNext(); ) {
            long fullAt = it.next().fullAt;
            if (fullAt == ConnectionTracker.NEVER || fullAt - now <= 0) {
                it.remove();
            }
        }
    }
}
