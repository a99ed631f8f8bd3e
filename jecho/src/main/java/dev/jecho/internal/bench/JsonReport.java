package dev.jecho.internal.bench;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jecho.BenchConfig;
import dev.jecho.Service;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;

/**
 * {@code --json}: one document for machines. Every figure carries its unit in its name ({@code _s},
 * {@code _us}, {@code _bytes}, {@code _per_s}, {@code mb_per_s} in 10^6 bytes); counts have none.
 *
 * <pre>
 * { "format": "jecho-bench/1", "kind": "run" | "merge", "jecho_version", "started_at",
 *   "results": [ { "label", "url", "mode", "description", "config": {...}, "started_at", "duration_s",
 *                  "requests", "requests_per_s", "bytes", "mb_per_s",
 *                  "latency_us": { "uncorrected": {count, min, mean, stddev, p50, p90, p99, p99_9, p99_99, max},
 *                                  "corrected": {...} or null },
 *                  "errors": { "connect", "timeout", "mismatch", "closed", "reset", "total" },
 *                  "connections": { "requested", "established", "failed", "reopened", "setup_s" },
 *                  "udp": { "sent", "answered", "lost", "loss_pct", "duplicates", "reordered", "late",
 *                           "sequence_tagged",
 *                           "likely_rate_limit": { "answered_before_first_loss", "burst_per_s",
 *                                                  "steady_answered_per_s", "source" } or null } or null,
 *                  "hold": { "opened", "probed", "alive" } or null,
 *                  "intervals": [ { "end_s", "length_s", "requests", "requests_per_s", "mb_per_s" } ] } ],
 *   "sources": [ files ] (merge only) }
 * </pre>
 */
public final class JsonReport {

    static final String FORMAT = "jecho-bench/1";
    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonReport() {
    }

    public static void write(Report report, OutputStream out) throws IOException {
        MAPPER.writeValue(out, document(report));
        out.write('\n');
        out.flush();
    }

    static ObjectNode document(Report report) {
        ObjectNode doc = NODES.objectNode();
        doc.put("format", FORMAT);
        doc.put("kind", report.merged() ? "merge" : "run");
        doc.put("jecho_version", Report.jechoVersion());
        doc.put("started_at", Instant.ofEpochMilli(report.startedAtMs()).toString());
        ArrayNode results = doc.putArray("results");
        for (RunResult r : report.results()) {
            results.add(resultNode(r, true));
        }
        if (report.merged()) {
            ArrayNode sources = doc.putArray("sources");
            report.sources().forEach(sources::add);
        }
        return doc;
    }

    /** The workload as given (before a run: {@code "check": "auto"} for the default). */
    static ObjectNode configNode(BenchConfig c, String ioTransport) {
        return configNode(c, ioTransport, null, false);
    }

    /**
     * The workload as it ran: {@code check} is what replies were held to ({@code auto} only when no reply
     * decided), {@code check_detected} whether the first reply chose it.
     *
     * @param applied  the service replies were held to, or null when auto never decided
     * @param detected whether the first reply chose it
     */
    static ObjectNode configNode(BenchConfig c, String ioTransport, Service applied, boolean detected) {
        ObjectNode n = NODES.objectNode();
        n.put("label", c.label());
        n.put("url", c.endpoint().toString());
        n.put("mode", c.mode().cliName());
        n.put("description", Summaries.describe(c, CheckPhrase.of(c, applied, detected)));
        n.put("check", CheckPhrase.name(c, applied));
        n.put("check_detected", detected);
        n.put("tls", c.tls() != null);
        if (c.keys() == null) {
            n.putNull("auth");
        } else {
            n.put("auth", c.legacyAuth() != null ? "legacy-" + c.legacyAuth().cliName()
                    : c.endpoint().kind() == dev.jecho.Endpoint.Kind.UDP ? "tagged-datagrams" : "jecho");
        }
        n.put("messages", c.json() ? (c.legacyAuth() != null ? "json-values" : "json-lines") : "raw");
        n.put("connections", c.connections());
        n.put("duration_s", c.duration().toMillis() / 1000.0);
        n.put("warmup_s", c.warmup().toMillis() / 1000.0);
        n.put("size_min_bytes", c.sizeMin());
        n.put("size_max_bytes", c.sizeMax());
        n.put("pipeline", c.pipeline());
        if (c.openLoop()) {
            n.put("rate_per_s", c.rate());
        } else {
            n.putNull("rate_per_s");
        }
        n.put("timeout_ms", c.timeout().toMillis());
        n.put("connect_timeout_ms", c.connectTimeout().toMillis());
        n.put("max_connecting", c.maxConnecting());
        n.put("io_transport", ioTransport);
        n.put("threads", c.effectiveThreads());
        return n;
    }

    static ObjectNode resultNode(RunResult r) {
        return resultNode(r, false);
    }

    static ObjectNode resultNode(RunResult r, boolean withIntervals) {
        ObjectNode n = NODES.objectNode();
        n.put("label", r.label());
        n.put("url", r.url());
        n.put("mode", r.mode());
        n.put("description", r.description());
        n.set("config", r.config());
        n.put("started_at", Instant.ofEpochMilli(r.startedAtMs()).toString());
        n.put("duration_s", round(r.seconds(), 3));
        n.put("requests", r.requests());
        n.put("requests_per_s", round(r.requestsPerSecond(), 1));
        n.put("bytes", r.bytes());
        n.put("mb_per_s", round(r.bytesPerSecond() / 1e6, 3));
        ObjectNode latency = n.putObject("latency_us");
        latency.set("uncorrected", latencyNode(r.uncorrected()));
        latency.set("corrected", r.corrected() == null ? NODES.nullNode() : latencyNode(r.corrected()));
        ObjectNode errors = n.putObject("errors");
        for (ErrorClass kind : ErrorClass.values()) {
            errors.put(kind.key(), r.errors(kind));
        }
        errors.put("total", r.errorTotal());
        RunResult.Connections c = r.connections();
        ObjectNode connections = n.putObject("connections");
        connections.put("requested", c.requested());
        connections.put("established", c.established());
        connections.put("failed", c.failed());
        connections.put("reopened", c.reopened());
        connections.put("setup_s", round(c.setupSeconds(), 3));
        connections.put("first_failure", c.firstFailure());
        if (r.datagrams() != null) {
            RunResult.Datagrams d = r.datagrams();
            ObjectNode udp = n.putObject("udp");
            udp.put("sent", d.sent());
            udp.put("answered", d.answered());
            udp.put("lost", d.lost());
            udp.put("loss_pct", round(d.lossPercent(), 4));
            udp.put("duplicates", d.duplicates());
            udp.put("reordered", d.reordered());
            udp.put("late", d.late());
            udp.put("sequence_tagged", d.tagged());
            RunResult.RateLimit limit = d.likelyRateLimit();
            if (limit == null) {
                udp.putNull("likely_rate_limit");
            } else {
                ObjectNode l = udp.putObject("likely_rate_limit");
                l.put("answered_before_first_loss", limit.answeredBeforeLoss());
                l.put("burst_per_s", round(limit.burstPerSecond(), 1));
                l.put("steady_answered_per_s", round(limit.steadyPerSecond(), 1));
                l.put("source", limit.source());
            }
        } else {
            n.putNull("udp");
        }
        if (r.hold() != null) {
            ObjectNode hold = n.putObject("hold");
            hold.put("opened", r.hold().opened());
            hold.put("probed", r.hold().probed());
            hold.put("alive", r.hold().alive());
        } else {
            n.putNull("hold");
        }
        if (withIntervals) {
            ArrayNode intervals = n.putArray("intervals");
            for (RunResult.IntervalPoint p : r.intervals()) {
                ObjectNode i = intervals.addObject();
                i.put("end_s", round(p.endSeconds(), 3));
                i.put("length_s", round(p.lengthSeconds(), 3));
                i.put("requests", p.requests());
                i.put("requests_per_s", round(p.requestsPerSecond(), 1));
                i.put("mb_per_s", round(p.bytesPerSecond() / 1e6, 3));
            }
        }
        return n;
    }

    static JsonNode latencyNode(Histogram h) {
        ObjectNode n = NODES.objectNode();
        n.put("count", h.getTotalCount());
        if (h.getTotalCount() == 0) {
            for (String key : new String[] {"min", "mean", "stddev", "p50", "p90", "p99", "p99_9", "p99_99", "max"}) {
                n.putNull(key);
            }
            return n;
        }
        n.put("min", micros(h.getMinValue()));
        n.put("mean", micros(h.getMean()));
        n.put("stddev", micros(h.getStdDeviation()));
        n.put("p50", micros(h.getValueAtPercentile(50)));
        n.put("p90", micros(h.getValueAtPercentile(90)));
        n.put("p99", micros(h.getValueAtPercentile(99)));
        n.put("p99_9", micros(h.getValueAtPercentile(99.9)));
        n.put("p99_99", micros(h.getValueAtPercentile(99.99)));
        n.put("max", micros(h.getMaxValue()));
        return n;
    }

    private static double micros(double nanos) {
        return round(nanos / 1000.0, 3);
    }

    static double round(double v, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(v * scale) / scale;
    }
}
