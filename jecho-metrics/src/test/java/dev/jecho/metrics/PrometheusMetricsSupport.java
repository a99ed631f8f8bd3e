package dev.jecho.metrics;

import dev.jecho.testing.Scrape;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Prometheus metrics for tests in other packages: without the JVM's, scraped without HTTP. */
public final class PrometheusMetricsSupport {

    private PrometheusMetricsSupport() {
    }

    public static PrometheusMetrics withoutJvm() {
        return new PrometheusMetrics("test", "nio", () -> true, io.netty.buffer.ByteBufAllocator.DEFAULT, Path.of("/nonexistent"), false);
    }

    public static Scrape scrape(PrometheusMetrics metrics) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, metrics.registry().scrape(), EscapingScheme.ALLOW_UTF8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Scrape(out.toString(StandardCharsets.UTF_8));
    }
}
