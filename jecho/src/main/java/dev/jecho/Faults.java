package dev.jecho;

import java.util.List;

/**
 * The faults a running server injects ({@link JechoServer#faults()}), changed live: a stream fault applies to the
 * connections accepted after the change, a datagram fault to the next reply. Each connection draws, from the seed
 * and its number in accept order, whether it meets each fault (its toxicity) and every random choice the faults
 * make on it (jitter, slice sizes, which bit to flip); UDP replies draw from the listener's own generator. So the
 * same client run against the same seed meets the same faults in the same order. Safe to use from any thread.
 */
public interface Faults {

    /**
     * Adds a fault, replacing the one of the same name.
     *
     * @param fault the fault
     */
    void add(Fault fault);

    /**
     * Adds a fault given as a spec ({@link Fault#parse}).
     *
     * @param spec e.g. {@code latency=50ms,jitter=10ms}
     * @throws IllegalArgumentException for a spec that cannot be read
     */
    default void add(String spec) {
        add(Fault.parse(spec));
    }

    /**
     * Removes the fault of this name.
     *
     * @param name the fault's {@link Fault#name()}
     * @return whether there was one
     */
    boolean remove(String name);

    /** Removes every fault: the server behaves again. */
    void clear();

    /**
     * The faults, in the order added.
     *
     * @return a snapshot
     */
    List<Fault> list();

    /**
     * The seed every random choice is drawn from.
     *
     * @return the seed given ({@code --fault-seed}, {@link ServerConfig.Builder#faultSeed}), or the one drawn at start
     */
    long seed();
}
