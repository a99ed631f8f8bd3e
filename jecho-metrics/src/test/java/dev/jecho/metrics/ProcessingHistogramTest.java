package dev.jecho.metrics;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessingHistogramTest {

    @Test
    void eachDurationLandsInTheSmallestPowerOfTwoMicrosecondBucketThatHoldsIt() {
        assertThat(ProcessingHistogram.bucketOf(0)).isZero();
        assertThat(ProcessingHistogram.bucketOf(1000)).isZero();          // 1 us
        assertThat(ProcessingHistogram.bucketOf(1001)).isEqualTo(1);      // just over 1 us: <= 2 us
        assertThat(ProcessingHistogram.bucketOf(2000)).isEqualTo(1);
        assertThat(ProcessingHistogram.bucketOf(3000)).isEqualTo(2);      // <= 4 us
        assertThat(ProcessingHistogram.bucketOf(1_048_576_000L)).isEqualTo(20); // 2^20 us
        assertThat(ProcessingHistogram.bucketOf(1_048_576_001L)).isEqualTo(ProcessingHistogram.BOUNDED_BUCKETS);
        assertThat(ProcessingHistogram.bucketOf(Long.MAX_VALUE)).isEqualTo(ProcessingHistogram.BOUNDED_BUCKETS);
    }

    @Test
    void bucketsAndSumReflectWhatWasObserved() {
        ProcessingHistogram h = new ProcessingHistogram();
        h.observe(500);
        h.observe(3_000);
        h.observe(3_000_000_000L);
        var buckets = h.buckets();
        assertThat(buckets.getCount(0)).isEqualTo(1);
        assertThat(buckets.getCount(2)).isEqualTo(1);
        assertThat(buckets.getCount(ProcessingHistogram.BOUNDED_BUCKETS)).isEqualTo(1);
        assertThat(buckets.getUpperBound(ProcessingHistogram.BOUNDED_BUCKETS)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(h.sumSeconds()).isEqualTo(3.0000035);
    }
}
