package dev.jecho.internal.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jecho.Bench;
import dev.jecho.BenchConfig;
import dev.jecho.BenchException;
import dev.jecho.BenchReport;
import dev.jecho.Endpoint;
import dev.jecho.JechoServer;
import dev.jecho.Service;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The reports: the JSON document, the HTML page, the interval log and its merge. */
class BenchReportsTest {

    @TempDir
    static Path dir;

    private static JechoServer server;
    private static Endpoint tcp;
    private static Endpoint udp;
    private static Endpoint unix;

    @BeforeAll
    static void startServer() throws Exception {
        server = JechoServer.builder().tcp("127.0.0.1", 0).udp("127.0.0.1", 0).unix(dir.resolve("bench.sock"))
                .service(Service.ECHO).logConnections(false)
                .limitExempt("127.0.0.0/8").start(); // a load generator, as the README says
        tcp = server.boundEndpoints().get(0);
        udp = server.boundEndpoints().get(1);
        unix = server.boundEndpoints().get(2);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static BenchConfig.Builder quick(Endpoint endpoint) {
        return BenchConfig.builder(endpoint).duration(Duration.ofMillis(600)).warmup(Duration.ZERO).connections(2);
    }

    @Test
    void theJsonDocumentParsesAndHasTheDocumentedFields() throws Exception {
        BenchReport report = new Bench().run(List.of(quick(tcp).build(), quick(udp).build()), null, null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        report.writeJson(out);
        JsonNode doc = new ObjectMapper().readTree(out.toByteArray());

        assertThat(doc.path("format").asText()).isEqualTo("jecho-bench/1");
        assertThat(doc.path("kind").asText()).isEqualTo("run");
        assertThat(doc.path("started_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(doc.path("results")).hasSize(2);
        JsonNode t = doc.path("results").get(0);
        assertThat(t.path("label").asText()).isEqualTo("tcp");
        assertThat(t.path("url").asText()).isEqualTo(tcp.toString());
        assertThat(t.path("mode").asText()).isEqualTo("rr");
        assertThat(t.path("config").path("connections").asInt()).isEqualTo(2);
        assertThat(t.path("config").path("duration_s").asDouble()).isEqualTo(0.6);
        assertThat(t.path("config").path("size_min_bytes").asInt()).isEqualTo(64);
        assertThat(t.path("config").path("rate_per_s").isNull()).isTrue();
        long requests = t.path("requests").asLong();
        assertThat(requests).isPositive();
        assertThat(t.path("requests_per_s").asDouble()).isCloseTo(requests / t.path("duration_s").asDouble(),
                org.assertj.core.data.Offset.offset(1.0));
        assertThat(t.path("bytes").asLong()).isEqualTo(64 * requests);
        assertThat(t.path("mb_per_s").isNumber()).isTrue();
        JsonNode latency = t.path("latency_us").path("uncorrected");
        assertThat(latency.path("count").asLong()).isEqualTo(requests);
        for (String p : new String[] {"min", "mean", "p50", "p90", "p99", "p99_9", "p99_99", "max"}) {
            assertThat(latency.path(p).isNumber()).as(p).isTrue();
        }
        assertThat(latency.path("p50").asDouble()).isLessThanOrEqualTo(latency.path("p99").asDouble());
        assertThat(latency.path("p99_99").asDouble()).isLessThanOrEqualTo(latency.path("max").asDouble());
        assertThat(t.path("latency_us").path("corrected").isNull()).isTrue();
        for (String e : new String[] {"connect", "timeout", "mismatch", "closed", "reset", "total"}) {
            assertThat(t.path("errors").path(e).asLong()).as(e).isZero();
        }
        assertThat(t.path("connections").path("established").asInt()).isEqualTo(2);
        assertThat(t.path("udp").isNull()).isTrue();
        long perInterval = 0;
        for (JsonNode i : t.path("intervals")) {
            perInterval += i.path("requests").asLong();
            assertThat(i.path("requests_per_s").isNumber()).isTrue();
        }
        assertThat(perInterval).as("intervals add up to the total").isEqualTo(requests);

        JsonNode u = doc.path("results").get(1);
        assertThat(u.path("label").asText()).isEqualTo("udp");
        assertThat(u.path("udp").path("sent").asLong()).isPositive();
        assertThat(u.path("udp").path("lost").asLong()).isZero();
        assertThat(u.path("udp").path("loss_pct").isNumber()).isTrue();
        assertThat(u.path("udp").path("sequence_tagged").asBoolean()).isTrue();
    }

    @Test
    void theHtmlPageIsWellFormedSelfContainedAndDrawsACurvePerTransport() throws Exception {
        List<BenchConfig> compare = new ArrayList<>();
        for (Endpoint e : List.of(tcp, unix, udp)) {
            compare.add(quick(e).rate(2000).build());
        }
        BenchReport report = new Bench().run(compare, null, null);
        Path html = dir.resolve("report.html");
        report.writeHtml(html);
        String page = Files.readString(html, StandardCharsets.UTF_8);

        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(page.getBytes(StandardCharsets.UTF_8)));
        assertThat(doc.getElementsByTagName("svg").getLength()).isEqualTo(2);
        // latency: corrected and uncorrected for each of 3 transports; throughput: one per transport
        assertThat(doc.getElementsByTagName("polyline").getLength()).isEqualTo(3 * 2 + 3);
        assertThat(doc.getElementsByTagName("tr").getLength()).as("header + 2 rows per transport").isEqualTo(1 + 3 * 2);
        assertThat(page).doesNotContain("http:", "https:", "<script", "src=", "href=", "url(", "@import");
        assertThat(page).contains("tcp corrected", "unix uncorrected", "udp");
    }

    @Test
    void anIntervalLogRoundTripsThroughMerge() throws Exception {
        Path a = dir.resolve("a.hlog");
        Path b = dir.resolve("b.hlog");
        RunResult ra = runLogged(quick(tcp).rate(1000).build(), a);
        RunResult rb = runLogged(quick(tcp).rate(1000).build(), b);

        // HdrHistogram's own reader understands the file, tags and all
        long counted = 0;
        try (HistogramLogReader reader = new HistogramLogReader(a.toFile())) {
            EncodableHistogram e;
            while ((e = reader.nextIntervalHistogram()) != null) {
                if ("tcp".equals(e.getTag())) {
                    counted += ((Histogram) e).getTotalCount();
                    assertThat(e.getStartTimeStamp()).isGreaterThanOrEqualTo(ra.startedAtMs() - 1);
                }
            }
        }
        assertThat(counted).isEqualTo(ra.requests());

        Report merged = HlogMerge.merge(List.of(a, b));
        assertThat(merged.results()).extracting(RunResult::label).containsExactly("tcp");
        RunResult m = merged.results().get(0);
        Histogram expected = ra.uncorrected().copy();
        expected.add(rb.uncorrected());
        assertThat(m.requests()).isEqualTo(ra.requests() + rb.requests());
        assertThat(m.uncorrected().getTotalCount()).isEqualTo(expected.getTotalCount());
        for (double p : new double[] {50, 90, 99, 99.9, 100}) {
            assertThat(m.uncorrected().getValueAtPercentile(p)).as("p%s", p).isEqualTo(expected.getValueAtPercentile(p));
        }
        assertThat(m.corrected()).isNotNull();
        assertThat(m.corrected().getTotalCount()).isEqualTo(ra.corrected().getTotalCount() + rb.corrected().getTotalCount());
        assertThat(m.bytes()).isEqualTo(ra.bytes() + rb.bytes());
        assertThat(m.connections().requested()).isEqualTo(4);
        assertThat(m.intervals().stream().mapToLong(RunResult.IntervalPoint::requests).sum()).isEqualTo(m.requests());
        assertThat(m.mode()).isEqualTo("rr");
    }

    /** One run, as {@link Bench#run} makes it, writing its interval log to {@code hlog}. */
    private static RunResult runLogged(BenchConfig config, Path hlog) throws Exception {
        IntervalLog log = IntervalLog.open(hlog);
        try {
            return new LoadRun(config, null, log, new Cancellation()).run();
        } finally {
            log.close();
        }
    }

    @Test
    void logsOfDifferentWorkloadsAreNotMerged() throws Exception {
        Path rr = dir.resolve("rr.hlog");
        Path bulk = dir.resolve("bulk.hlog");
        new Bench().run(List.of(quick(tcp).build()), null, rr);
        new Bench().run(List.of(quick(tcp).mode(BenchConfig.Mode.BULK).size(4096).build()), null, bulk);

        assertThatThrownBy(() -> Bench.merge(List.of(rr, bulk)))
                .isInstanceOf(BenchException.class)
                .hasMessage("cannot merge 'tcp': " + rr + " ran rr, " + bulk + " ran bulk");
        assertThatThrownBy(() -> Bench.merge(List.of(dir.resolve("missing.hlog"))))
                .isInstanceOf(BenchException.class).hasMessage("cannot read " + dir.resolve("missing.hlog") + ": no such file");
        Path junk = Files.writeString(dir.resolve("junk.hlog"), "not a log\n");
        assertThatThrownBy(() -> Bench.merge(List.of(junk))).isInstanceOf(BenchException.class)
                .hasMessageContaining(junk.toString());
    }
}
