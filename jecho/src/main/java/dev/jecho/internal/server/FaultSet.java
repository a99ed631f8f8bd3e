package dev.jecho.internal.server;

import dev.jecho.Fault;
import dev.jecho.Faults;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A server's live faults ({@link Faults}), and where each connection and each UDP listener gets its own generator:
 * connection {@code n} (in accept order, counted while stream faults are set) from the seed and {@code n}, the
 * UDP listener {@code k} from the seed and {@code -1 - k}. The hot path asks one volatile read: are there stream
 * faults at all.
 */
public final class FaultSet implements Faults {

    private static final long STRIDE = 0x632BE59BD9B4E019L;

    private final long seed;
    private final AtomicLong connections = new AtomicLong();
    private final Map<String, FaultSpec> byName = new LinkedHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile List<FaultSpec> streamFaults = List.of();
    private volatile List<FaultSpec> datagramFaults = List.of();

    public FaultSet(long seed, List<Fault> initial) {
        this.seed = seed;
        initial.forEach(this::add);
    }

    /** A seed for a server given none: printed at start, so that a run can be replayed. */
    public static long newSeed() {
        return new SplittableRandom().nextLong() >>> 16; // short enough to copy by hand
    }

    @Override
    public long seed() {
        return seed;
    }

    @Override
    public void add(Fault fault) {
        FaultSpec spec = FaultSpec.parse(fault.toString());
        synchronized (this) {
            byName.remove(spec.name()); // a replaced fault moves to the end, where it was added
            byName.put(spec.name(), spec);
            publish();
        }
    }

    @Override
    public boolean remove(String name) {
        synchronized (this) {
            if (byName.remove(name) == null) {
                return false;
            }
            publish();
        }
        return true;
    }

    @Override
    public void clear() {
        synchronized (this) {
            byName.clear();
            publish();
        }
    }

    @Override
    public synchronized List<Fault> list() {
        List<Fault> all = new ArrayList<>(byName.size());
        byName.values().forEach(s -> all.add(Fault.parse(s.toString())));
        return all;
    }

    private void publish() {
        streamFaults = byName.values().stream().filter(s -> s.type().stream()).toList();
        datagramFaults = byName.values().stream().filter(s -> !s.type().stream()).toList();
        listeners.forEach(Runnable::run);
    }

    /** Called after every change (UDP listeners add or remove their fault stage). */
    void onChange(Runnable listener) {
        listeners.add(listener);
    }

    /** The datagram faults now; empty when none. */
    List<FaultSpec> datagramFaults() {
        return datagramFaults;
    }

    /** The generator of UDP listener {@code k}. */
    SplittableRandom datagramRandom(int k) {
        return random(-1 - k);
    }

    private SplittableRandom random(long n) {
        return new SplittableRandom(new SplittableRandom(seed + n * STRIDE).nextLong());
    }

    /** What the next accepted connection meets; null (at the cost of one volatile read) when it meets nothing. */
    Connection nextConnection() {
        List<FaultSpec> now = streamFaults;
        if (now.isEmpty()) {
            return null;
        }
        SplittableRandom random = random(connections.getAndIncrement());
        List<FaultSpec> met = new ArrayList<>(now.size());
        for (FaultSpec f : now) {
            if (f.toxicity() >= 1 || random.nextDouble() < f.toxicity()) { // a draw per partly toxic fault, met or not
                met.add(f);
            }
        }
        return met.isEmpty() ? null : new Connection(met, random);
    }

    /** The faults one connection meets, and its generator. */
    record Connection(List<FaultSpec> met, SplittableRandom random) {
    }
}
