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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code jecho bench} against a server that misbehaves on purpose: what the bench reports is what was injected.
 * Prints {@code FAULT <spec> | injected ... | measured by bench ...}; bounds are generous (a busy machine adds
 * latency and may lose a datagram of its own, never fewer).
 */
@Timeout(60)
class FaultedServerBenchTest {

    private static final double MS = 1e6;

    private static JechoServer server(boolean udp, String fault) throws Exception {
        var b = JechoServer.builder().service(Service.ECHO).udpRateLimit(0, 0).faultSeed(11).fault(Fault.parse(fault));
        return (udp ? b.udp("127.0.0.1", 0) : b.tcp("127.0.0.1", 0)).start();
    }

    private static RunResult bench(Endpoint endpoint, int pipeline, Duration timeout) throws Exception {
        BenchConfig config = BenchConfig.builder(endpoint).check(Service.ECHO).size(32).connections(1).pipeline(pipeline)
                .duration(Duration.ofSeconds(1)).warmup(Duration.ZERO).timeout(timeout).build();
        return new LoadRun(config, null, null, new Cancellation()).run();
    }

    private static void report(String spec, String injected, String measured) {
        System.out.printf(Locale.ROOT, "FAULT %-32s | injected %-26s | measured by bench: %s%n", spec, injected, measured);
    }

    @Test
    void tcpLatencyMovesTheBenchsMedianByTheInjectedLatency() throws Exception {
        String spec = "latency=50ms,jitter=10ms";
        try (JechoServer server = server(false, spec)) {
            RunResult r = bench(server.boundEndpoints().get(0), 1, Duration.ofSeconds(2));
            Histogram h = r.uncorrected();
            double p50 = h.getValueAtPercentile(50) / MS;
            report(spec, "50 ms ± 10 ms", String.format(Locale.ROOT, "p50 %.1f ms, min %.1f ms, p99 %.1f ms over %d requests",
                    p50, h.getMinValue() / MS, h.getValueAtPercentile(99) / MS, r.requests()));
            assertThat(r.errorTotal()).isZero();
            assertThat(h.getMinValue() / MS).isGreaterThanOrEqualTo(39.9);
            assertThat(p50).isBetween(45.0, 75.0);
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
