package dev.jecho.internal.bench;

import dev.jecho.BenchConfig;

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
    /** UDP: the address the flows send from, as the server sees it (per-source limits count by it), or null. */
    final AtomicReference<java.net.InetAddress> datagramSource = new AtomicReference<>();
    private final int sizeMin;
    private final int sizeMax;

    RunContext(BenchConfig config, Recorders recorders) {
        this.config = config;
        this.recorders = recorders;
        this.payloads = Payloads.of(config);
        this.codec = config.json() ? new JsonCodec(payloads, config.legacyAuth() == null) : new RawCodec(payloads);
        this.session = SessionSetup.of(config);
        this.timeoutNanos = config.timeout().toNanos();
        this.sizeMin = config.sizeMin();
        this.sizeMax = config.sizeMax();
    }

    /**
     * A connection attempt failed, at its connect or in its session setup (TLS, the handshake): a connect
     * error; the first one names the problem if no connection ever gets through.
     *
     * @param first whether it was the connection's first attempt (one that set-up waits for)
     */
    void connectFailed(Throwable cause, boolean first) {
        stats.error(ErrorClass.CONNECT);
        if (first) {
            stats.failedFirst.increment();
        }
        firstConnectFailure.compareAndSet(null, cause);
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
