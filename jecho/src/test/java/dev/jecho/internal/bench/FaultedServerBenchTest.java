package dev.jecho.internal.bench;

import dev.jecho.BenchConfig;
import dev.jecho.Endpoint;
import dev.jecho.Fault;
import dev.jecho.JechoServer;
import dev.jecho.Service;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.Locale;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code jecho bench} against a server that misbehaves on purpose: what the bench reports is what was injected.
 * Prints {@code FAULT <spec> | injected ... | measured by bench ...}; bounds are generous (a busy machine adds
 * latency and may lose a datagram of its own, never fewer). Each run is a second of load, warm-up none.
 *
 * <p>{@code slow-close} has no test here: it holds back the server's FIN after a close the server starts, and in
 * no bench mode does the server start one (the bench closes first, and does not wait for the server's FIN).
 * {@code StreamFaultsTest} measures it with a client that waits.
 */
@Timeout(60)
class FaultedServerBenchTest {

    private static final double MS = 1e6;

    private static JechoServer server(boolean udp, String fault) throws Exception {
        var b = JechoServer.builder().service(Service.ECHO).udpRateLimit(0, 0).limitExempt("127.0.0.0/8")
                .logConnections(false).faultSeed(11).fault(Fault.parse(fault));
        return (udp ? b.udp("127.0.0.1", 0) : b.tcp("127.0.0.1", 0)).start();
    }

    private static RunResult bench(Endpoint endpoint, int pipeline, Duration timeout) throws Exception {
        return bench(endpoint, pipeline, timeout, UnaryOperator.identity());
    }

    /** One second of {@code rr} (unless {@code more} says otherwise) on one connection, replies checked as echo's. */
    private static RunResult bench(Endpoint endpoint, int pipeline, Duration timeout, UnaryOperator<BenchConfig.Builder> more)
            throws Exception {
        BenchConfig config = more.apply(BenchConfig.builder(endpoint).check(Service.ECHO).size(32).connections(1)
                .pipeline(pipeline).duration(Duration.ofSeconds(1)).warmup(Duration.ZERO).timeout(timeout)).build();
        return new LoadRun(config, null, null, new Cancellation()).run();
    }

    private static void report(String spec, String injected, String measured) {
        System.out.printf(Locale.ROOT, "FAULT %-32s | injected %-26s | measured by bench: %s%n", spec, injected, measured);
    }

    private static String latencies(RunResult r) {
        Histogram h = r.uncorrected();
        return String.format(Locale.ROOT, "p50 %.1f ms, min %.1f ms, p99 %.1f ms over %d requests",
                h.getValueAtPercentile(50) / MS, h.getMinValue() / MS, h.getValueAtPercentile(99) / MS, r.requests());
    }

    /** The connections a stream run used: the first, and each reopened after an error. */
    private static long connectionsUsed(RunResult r) {
        return r.connections().established() + r.connections().reopened();
    }

    @Test
    void tcpLatencyMovesTheBenchsMedianByTheInjectedLatency() throws Exception {
        String spec = "latency=50ms,jitter=10ms";
        try (JechoServer server = server(false, spec)) {
            RunResult r = bench(server.boundEndpoints().get(0), 1, Duration.ofSeconds(2));
            Histogram h = r.uncorrected();
            double p50 = h.getValueAtPercentile(50) / MS;
            report(spec, "50 ms ± 10 ms", latencies(r));
            assertThat(r.errorTotal()).isZero();
            assertThat(h.getMinValue() / MS).isGreaterThanOrEqualTo(39.9);
            assertThat(p50).isBetween(45.0, 75.0);
        }
    }

    @Test
    void upstreamLatencyDelaysTheRequestsAsMuch() throws Exception {
        String spec = "latency=50ms,jitter=10ms,stream=up";
        try (JechoServer server = server(false, spec)) {
            RunResult r = bench(server.boundEndpoints().get(0), 1, Duration.ofSeconds(2));
            Histogram h = r.uncorrected();
            report(spec, "requests 50 ms ± 10 ms late", latencies(r));
            assertThat(r.errorTotal()).isZero();
            assertThat(h.getMinValue() / MS).isGreaterThanOrEqualTo(39.9);
            assertThat(h.getValueAtPercentile(50) / MS).isBetween(45.0, 75.0);
        }
    }

    @Test
    void bandwidthIsTheBulkThroughput() throws Exception {
        String spec = "bandwidth=256KiB";
        double injected = 256 * 1024;
        try (JechoServer server = server(false, spec)) {
            RunResult r = bench(server.boundEndpoints().get(0), 1, Duration.ofSeconds(2),
                    b -> b.mode(BenchConfig.Mode.BULK).size(4096));
            report(spec, "262,144 B/s", String.format(Locale.ROOT, "%,.0f B/s (%,d B echoed in %.2f s), %d errors",
                    r.bytesPerSecond(), r.bytes(), r.seconds(), r.errorTotal()));
            assertThat(r.errorTotal()).isZero();
            // one 1/20 s piece may go at once, before the pacing: 5% over at most, on a second
            assertThat(r.bytesPerSecond() / injected).isBetween(0.8, 1.1);
        }
    }

    @Test
    void slicedRepliesStillComeWholeAfterTheSliceDelays() throws Exception {
        String spec = "slice=8,delay=10ms";
        try (JechoServer server = server(false, spec)) {
            RunResult r = bench(server.boundEndpoints().get(0), 1, Duration.ofSeconds(2));
            report(spec, "32 B replies as 4 x 8 B, 10 ms apart", latencies(r) + ", " + r.errorTotal() + " errors");
            assertThat(r.errorTotal()).as("every reply whole and checked").isZero();
            assertThat(r.requests()).isGreaterThan(5);
            assertThat(r.uncorrected().getMinValue() / MS).as("three delays between four pieces").isGreaterThanOrEqualTo(29.9);
        }
    }

    @Test
    void aStallIsCountedAsTimeouts() throws Exception {
        String spec = "stall=64";
        try (JechoServer server = server(false, spec)) {
            RunResult r = bench(server.boundEndpoints().get(0), 1, Duration.ofMillis(200));
            long timeouts = r.errors(ErrorClass.TIMEOUT);
            report(spec, "64 B, then silence", String.format(Locale.ROOT, "%d timeouts of 200 ms, %d replies over %d connections,"
                    + " %d other errors", timeouts, r.requests(), connectionsUsed(r), r.errorTotal() - timeouts));
            assertThat(timeouts).isGreaterThanOrEqualTo(2);
            assertThat(r.errorTotal()).as("nothing but timeouts").isEqualTo(timeouts);
            assertThat(r.requests()).as("two 32-byte replies a connection, no more").isLessThanOrEqualTo(2 * connectionsUsed(r));
        }
    }

    @Test
    void anEarlyCloseIsCountedAsClosedAndAResetAsReset() throws Exception {
        for (String spec : new String[] {"close-after=64", "reset-after=64"}) {
            try (JechoServer server = server(false, spec)) {
                RunResult r = bench(server.boundEndpoints().get(0), 1, Duration.ofSeconds(2));
                long closed = r.errors(ErrorClass.CLOSED);
                long reset = r.errors(ErrorClass.RESET);
                report(spec, "64 B, then " + (spec.startsWith("close") ? "FIN" : "RST"), String.format(Locale.ROOT,
                        "%d closed, %d reset, %d replies over %d connections, %d other errors",
                        closed, reset, r.requests(), connectionsUsed(r), r.errorTotal() - closed - reset));
                long expected = spec.startsWith("close") ? closed : reset;
                assertThat(expected).isGreaterThanOrEqualTo(2);
                assertThat(r.errorTotal()).as("each end counted once, as what it was").isEqualTo(expected);
                assertThat(r.requests()).isLessThanOrEqualTo(2 * connectionsUsed(r));
            }
        }
    }

    @Test
    void refusedConnectionsAreCountedAsTheShareAsked() throws Exception {
        String spec = "refuse,toxicity=0.3";
        try (JechoServer server = server(false, spec)) {
            RunResult r = bench(server.boundEndpoints().get(0), 1, Duration.ofSeconds(2),
                    b -> b.mode(BenchConfig.Mode.CONNECT).connections(2));
            // Closed at accept, before a byte: a FIN, or an RST when the request had come already.
            long refused = r.errors(ErrorClass.CLOSED) + r.errors(ErrorClass.RESET);
            long total = refused + r.requests();
            double pct = 100.0 * refused / Math.max(1, total);
            report(spec, "30% of connections closed", String.format(Locale.ROOT,
                    "%.1f%% refused (%d of %d: %d closed, %d reset), %d other errors", pct, refused, total,
                    r.errors(ErrorClass.CLOSED), r.errors(ErrorClass.RESET), r.errorTotal() - refused));
            assertThat(total).isGreaterThan(100);
            assertThat(r.errorTotal()).isEqualTo(refused);
            assertThat(pct).isBetween(20.0, 40.0);
        }
    }

    @Test
    void corruptedRepliesAreCountedAsMismatches() throws Exception {
        String spec = "corrupt=100";
        try (JechoServer server = server(false, spec)) {
            RunResult r = bench(server.boundEndpoints().get(0), 1, Duration.ofSeconds(2));
            long mismatches = r.errors(ErrorClass.MISMATCH);
            report(spec, "1 bit flipped every 100 B", String.format(Locale.ROOT,
                    "%d mismatches, %d good replies over %d connections (3 a connection, then byte 99 flipped), %d other errors",
                    mismatches, r.requests(), connectionsUsed(r), r.errorTotal() - mismatches));
            assertThat(mismatches).isGreaterThanOrEqualTo(2);
            assertThat(r.errorTotal()).isEqualTo(mismatches);
            assertThat(r.requests()).as("bytes 0-95 whole, the fourth reply has the flip").isLessThanOrEqualTo(3 * connectionsUsed(r));
        }
    }

    @Test
    void udpDelayMovesTheMedianByTheDelay() throws Exception {
        String spec = "delay=50ms,jitter=10ms";
        try (JechoServer server = server(true, spec)) {
            RunResult r = bench(server.boundEndpoints().get(0), 4, Duration.ofSeconds(1));
            RunResult.Datagrams d = r.datagrams();
            Histogram h = r.uncorrected();
            report(spec, "50 ms ± 10 ms", latencies(r) + String.format(Locale.ROOT, ", %d of %d lost", d.lost(), d.sent()));
            assertThat(r.errorTotal()).isZero();
            assertThat(d.lossPercent()).isLessThan(5.0);
            assertThat(h.getMinValue() / MS).isGreaterThanOrEqualTo(39.9);
            assertThat(h.getValueAtPercentile(50) / MS).isBetween(45.0, 75.0);
        }
    }

    @Test
    void udpTruncatedRepliesAreMismatchesNotReplies() throws Exception {
        String spec = "truncate=16";
        try (JechoServer server = server(true, spec)) {
            RunResult r = bench(server.boundEndpoints().get(0), 16, Duration.ofMillis(100));
            RunResult.Datagrams d = r.datagrams();
            long mismatches = r.errors(ErrorClass.MISMATCH);
            report(spec, "32 B replies cut to 16", String.format(Locale.ROOT,
                    "%d mismatches for %d sent, %d answered whole, %d other errors", mismatches, d.sent(), d.answered(),
                    r.errorTotal() - mismatches));
            assertThat(d.sent()).isGreaterThan(50);
            assertThat(d.answered()).as("no cut reply is taken for a reply").isZero();
            assertThat(r.requests()).isZero();
            // every datagram's reply is one: a few of those sent before the window opened count too, and one that
            // comes after its end does not
            assertThat(mismatches).isBetween((long) (0.9 * d.sent()), d.sent() + 2 * 16);
            assertThat(r.errorTotal()).isEqualTo(mismatches);
        }
    }

    @Test
    void udpLossDuplicatesAndReordersAreCountedAsInjected() throws Exception {
        String loss = "loss=0.1";
        try (JechoServer server = server(true, loss)) {
            RunResult.Datagrams d = bench(server.boundEndpoints().get(0), 32, Duration.ofMillis(100)).datagrams();
            report(loss, "10% lost", String.format(Locale.ROOT, "%.1f%% lost (%d of %d)", d.lossPercent(), d.lost(), d.sent()));
            assertThat(d.sent()).isGreaterThan(300);
            assertThat(d.lossPercent()).isBetween(6.0, 16.0);
        }
        String duplicate = "duplicate=0.2";
        try (JechoServer server = server(true, duplicate)) {
            RunResult.Datagrams d = bench(server.boundEndpoints().get(0), 4, Duration.ofMillis(500)).datagrams();
            double pct = 100.0 * d.duplicates() / Math.max(1, d.answered());
            report(duplicate, "20% of replies twice", String.format(Locale.ROOT, "%.1f%% duplicates (%d of %d answered)", pct, d.duplicates(), d.answered()));
            assertThat(d.tagged()).isTrue();
            assertThat(pct).isBetween(12.0, 28.0);
        }
        String reorder = "reorder=0.2,delay=20ms";
        try (JechoServer server = server(true, reorder)) {
            RunResult.Datagrams d = bench(server.boundEndpoints().get(0), 8, Duration.ofMillis(500)).datagrams();
            double pct = 100.0 * d.reordered() / Math.max(1, d.answered());
            report(reorder, "20% held back 20 ms", String.format(Locale.ROOT, "%.1f%% reordered (%d of %d answered), %d lost",
                    pct, d.reordered(), d.answered(), d.lost()));
            // A reply held back is counted reordered when a later one overtakes it: with 8 in flight, nearly always.
            assertThat(pct).isBetween(10.0, 28.0);
        }
    }
}
