package dev.jecho.internal.server;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;

import static org.assertj.core.api.Assertions.assertThat;

class DatagramRateLimiterTest {

    private static final long MS = 1_000_000L;

    private static InetAddress ip(int a, int b) throws UnknownHostException {
        return InetAddress.getByAddress(new byte[] {10, 0, (byte) a, (byte) b});
    }

    private static int accepted(DatagramRateLimiter limiter, InetAddress source, int tries, long now) {
        int n = 0;
        for (int i = 0; i < tries; i++) {
            n += limiter.tryAcquire(source, now) ? 1 : 0;
        }
        return n;
    }

    @Test
    void aSourceGetsItsBurstThenItsRate() throws Exception {
        DatagramRateLimiter limiter = new DatagramRateLimiter(10, 5, 100); // one every 100 ms, 5 at once
        assertThat(accepted(limiter, ip(0, 1), 50, 0)).isEqualTo(5);
        assertThat(accepted(limiter, ip(0, 1), 50, 99 * MS)).isZero();
        assertThat(accepted(limiter, ip(0, 1), 50, 100 * MS)).isEqualTo(1);
        assertThat(accepted(limiter, ip(0, 1), 50, 1100 * MS)).as("refilled 10, capped at the burst").isEqualTo(5);
    }

    @Test
    void overASecondOfFloodASourceGetsAtMostBurstPlusRate() throws Exception {
        DatagramRateLimiter limiter = new DatagramRateLimiter(200, 400, 100);
        int n = 0;
        for (long t = 0; t <= 1000 * MS; t += MS / 4) {          // 4000 datagrams in a second
            n += limiter.tryAcquire(ip(0, 1), t) ? 1 : 0;
        }
        assertThat(n).isBetween(599, 601);
    }

    @Test
    void sourcesAreIndependent() throws Exception {
        DatagramRateLimiter limiter = new DatagramRateLimiter(10, 2, 100);
        assertThat(accepted(limiter, ip(0, 1), 10, 0)).isEqualTo(2);
        assertThat(accepted(limiter, ip(0, 2), 10, 0)).isEqualTo(2);
    }

    @Test
    void pastItsBoundTheTableSharesOneBucketAmongNewSourcesAndForgetsRefilledOnes() throws Exception {
        DatagramRateLimiter limiter = new DatagramRateLimiter(10, 2, 3);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.tryAcquire(ip(0, i), 0)).isTrue();
        }
        assertThat(limiter.trackedSources()).isEqualTo(3);
        int overflow = 0;
        for (int i = 3; i < 100; i++) {                        // 97 new sources at once share one bucket of 2
            overflow += limiter.tryAcquire(ip(1, i), 0) ? 1 : 0;
        }
        assertThat(overflow).isEqualTo(2);
        assertThat(limiter.trackedSources()).isEqualTo(3);
        // two seconds later every bucket is full again: those entries are forgotten to make room
        assertThat(limiter.tryAcquire(ip(2, 1), 2000 * MS)).isTrue();
        assertThat(limiter.trackedSources()).isEqualTo(1);
    }
}
