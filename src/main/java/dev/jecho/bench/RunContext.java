package dev.jecho.bench;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

/** What every connection of one run shares: the workload, the window, the counters and the recorders. */
final class RunContext {

    final BenchConfig config;
    final Window window = new Window();
    final RunStats stats = new RunStats();
    final Recorders recorders;
    final Payloads payloads;
    final MessageCodec codec;
    final SessionSetup session;
    final long timeoutNanos;
    /** The first failed connection attempt, to name it when none succeeded. */
    final AtomicReference<Throwable> firstConnectFailure = new AtomicReference<>();
    private final int sizeMin;
    private final int sizeMax;

    RunContext(BenchConfig config, Recorders recorders, SessionSetup session) {
        this.config = config;
        this.recorders = recorders;
        this.payloads = new Payloads(config.check(), config.sizeMax());
        this.codec = new RawCodec(payloads);
        this.session = session;
        this.timeoutNanos = config.timeout().toNanos();
        this.sizeMin = config.sizeMin();
        this.sizeMax = config.sizeMax();
    }

    /** The size of the next request: fixed, or uniform over the configured range. */
    int nextSize() {
        return sizeMin == sizeMax ? sizeMin : ThreadLocalRandom.current().nextInt(sizeMin, sizeMax + 1);
    }

    /** A pacer for one of the run's connections in open loop, or null in a closed loop. */
    Pacer pacer(int index, long originNanos) {
        if (!config.openLoop()) {
            return null;
        }
        double interval = 1e9 * config.connections() / config.rate();
        return new Pacer(interval, originNanos + (long) (interval * index / config.connections()));
    }

    /** How often a connection looks for a request that waits longer than the timeout. */
    long sweepNanos() {
        return Math.max(1_000_000L, Math.min(timeoutNanos / 4, 100_000_000L));
    }
}
