package dev.jecho.internal.bench;

import dev.jecho.BenchConfig;
import dev.jecho.BenchException;
import dev.jecho.BenchReport;
import dev.jecho.JechoServer;
import dev.jecho.Service;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12, item 10: a UDP bench against a server's per-source rate limit names the limit as the likely
 * cause of its losses (and what to do), and does not blame it for losses in the network.
 */
class UdpRateLimitHintTest {

    private static RunResult run(BenchConfig config) throws BenchException {
        return new LoadRun(config, null, null, new Cancellation()).run();
    }

    private static List<String> details(RunResult r) {
        return TableReport.details(new Report("test", 0, List.of(r), false, List.of(), false));
    }

    /**
     * jecho with {@code --udp-rate 25 --udp-burst 150}, loopback not exempt: four flows get the burst
     * answered at once, then about 25 replies a second between them. Onset falls in the warm-up (the burst
     * takes well under a second even in an interpreted JVM with paranoid leak detection), so both seconds of
     * the window are after it. Bounds are wide: the server's bucket, not the machine's speed, sets the figures.
     */
    @Test
    void lossesAgainstAPerSourceRateLimitAreNamedAsTheServersLimit() throws Exception {
        try (JechoServer server = JechoServer.builder().udp("127.0.0.1", 0).service(Service.UPPER)
                .udpRateLimit(25, 150).logConnections(false).start()) {
            RunResult r = run(BenchConfig.builder(server.boundEndpoints().get(0)).connections(4)
                    .duration(Duration.ofSeconds(2)).warmup(Duration.ofSeconds(1)).build());

            RunResult.Datagrams d = r.datagrams();
            assertThat(d.lost()).isPositive();
            assertThat(r.errorTotal()).isZero();
            RunResult.RateLimit limit = d.likelyRateLimit();
            assertThat(limit).as("losses read as a rate limit: %s", details(r)).isNotNull();
            assertThat(limit.answeredBeforeLoss()).as("the burst, and the tokens it earned meanwhile").isBetween(140L, 260L);
            assertThat(limit.steadyPerSecond()).as("the rate").isBetween(15.0, 40.0);
            assertThat(limit.source()).isEqualTo("127.0.0.1");
            assertThat(details(r)).anySatisfy(line -> assertThat(line)
                    .startsWith("losses: most likely the server's per-source rate limit, not the network: "))
                    .anySatisfy(line -> assertThat(line).contains("jecho server --limit-exempt 127.0.0.1", "--rate "));
            assertThat(JsonReport.resultNode(r).path("udp").path("likely_rate_limit").path("source").asText())
                    .isEqualTo("127.0.0.1");
        }
    }

    /** One datagram in ten dropped from the start, as a lossy network would: losses, but no rate limit named. */
    @Test
    void lossFromTheStartIsNotBlamedOnARateLimit() throws Exception {
        try (FakeDatagramServer lossy = new FakeDatagramServer(10, Integer.MAX_VALUE, Integer.MAX_VALUE)) {
            RunResult r = run(BenchConfig.builder(lossy.endpoint()).pipeline(4).timeout(Duration.ofMillis(100))
                    .duration(Duration.ofMillis(1500)).warmup(Duration.ZERO).build());

            assertThat(r.datagrams().lost()).isGreaterThanOrEqualTo(RateLimitInference.MIN_LOST);
            assertThat(r.datagrams().likelyRateLimit()).isNull();
            assertThat(details(r)).noneSatisfy(line -> assertThat(line).contains("rate limit"));
        }
    }

    private static List<RunResult.IntervalPoint> seconds(long... replies) {
        List<RunResult.IntervalPoint> points = new java.util.ArrayList<>();
        for (int i = 0; i < replies.length; i++) {
            points.add(new RunResult.IntervalPoint(i + 1, 1.0, replies[i], 0));
        }
        return points;
    }

    @Test
    void eachMarkOfARateLimitIsNeeded() {
        // 400 answered in 40 ms, then 200 a second, 5 % lost: a token bucket
        List<RunResult.IntervalPoint> steady = seconds(200, 205, 198);
        assertThat(RateLimitInference.infer(630, 603, 0, 400, 0.04, -0.9, steady, "127.0.0.1")).isNotNull();

        assertThat(RateLimitInference.infer(630, 603, 0, 100, 0.04, -0.9, steady, null))
                .as("losses from early on: 100 clean replies at 5 % loss happen by chance").isNull();
        assertThat(RateLimitInference.infer(630, 603, 0, 400, 0.04, -0.9, seconds(200, 90, 310), null))
                .as("no ceiling: the rate swings").isNull();
        assertThat(RateLimitInference.infer(630, 603, 0, 400, 2.5, -0.9, steady, null))
                .as("as fast at the start as after: the server's capacity, not a limit").isNull();
        assertThat(RateLimitInference.infer(630, 603, 20, 400, 0.04, -0.9, steady, null))
                .as("late replies: delay, not drops").isNull();
        assertThat(RateLimitInference.infer(630, 603, 0, 400, 0.04, 2.5, steady, null))
                .as("no full second after the losses began").isNull();
        assertThat(RateLimitInference.infer(630, 625, 0, 400, 0.04, -0.9, steady, null))
                .as("too few losses to judge").isNull();
    }
}
