package dev.jecho.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jecho.Endpoint;
import dev.jecho.Fault;
import dev.jecho.JechoServer;
import dev.jecho.Service;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /faults} on the metrics listener: list, replace, add (ours and Toxiproxy's vocabulary), remove; the counters. */
@Timeout(60)
class FaultsHttpTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Answer(int status, String body) {
        JsonNode json() throws Exception {
            return JSON.readTree(body);
        }
    }

    private static Answer call(MetricsHttpServer http, String method, String path, String body) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.address().getPort() + path))
                .timeout(Duration.ofSeconds(10));
        r.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body());
    }

    private static java.util.List<String> specs(Answer a) throws Exception {
        java.util.List<String> specs = new java.util.ArrayList<>();
        a.json().get("faults").forEach(f -> specs.add(f.get("spec").asText()));
        return specs;
    }

    @Test
    void listsReplacesAddsAndRemovesFaultsLive() throws Exception {
        PrometheusMetrics metrics = PrometheusMetricsSupport.withoutJvm();
        try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).service(Service.ECHO).recorder(metrics)
                .faultSeed(5).fault(Fault.parse("latency=50ms,jitter=10ms")).start();
             MetricsHttpServer http = MetricsHttpServer.start(Endpoint.tcp("127.0.0.1", 0), metrics, server)) {
            Answer listed = call(http, "GET", "/faults", null);
            assertThat(listed.status()).isEqualTo(200);
            JsonNode latency = listed.json().get("faults").get(0);
            assertThat(listed.json().get("seed").asLong()).isEqualTo(5);
            assertThat(latency.get("name").asText()).isEqualTo("latency");
            assertThat(latency.get("type").asText()).isEqualTo("latency");
            assertThat(latency.get("stream").asText()).isEqualTo("downstream");
            assertThat(latency.get("toxicity").asDouble()).isEqualTo(1.0);
            assertThat(latency.get("attributes").get("latency").asText()).isEqualTo("50ms");
            assertThat(latency.get("attributes").get("jitter").asText()).isEqualTo("10ms");

            // PUT replaces the set; a text body is one spec a line.
            assertThat(specs(call(http, "PUT", "/faults", "stall=1KiB\nloss=0.1\n"))).containsExactly("stall=1KiB", "loss=0.1");
            assertThat(server.faults().list()).extracting(Fault::toString).containsExactly("stall=1KiB", "loss=0.1");

            // POST adds one, in Toxiproxy's words and units (milliseconds).
            Answer toxic = call(http, "POST", "/faults", "{\"name\": \"slow_up\", \"type\": \"latency\", \"stream\": \"upstream\","
                    + " \"toxicity\": 0.5, \"attributes\": {\"latency\": 100, \"jitter\": 5}}");
            assertThat(toxic.status()).isEqualTo(200);
            assertThat(specs(toxic)).contains("latency=100ms,jitter=5ms,stream=up,toxicity=0.5,name=slow_up");
            assertThat(specs(call(http, "POST", "/faults", "{\"type\": \"reset_peer\", \"attributes\": {\"timeout\": 2000}}")))
                    .contains("reset-after=2s");

            // PUT /faults/NAME adds or replaces the one of that name.
            assertThat(specs(call(http, "PUT", "/faults/closing", "{\"spec\": \"slow-close=1s\"}"))).contains("slow-close=1s,name=closing");

            assertThat(call(http, "DELETE", "/faults/closing", null).status()).isEqualTo(200);
            assertThat(call(http, "DELETE", "/faults/closing", null).status()).isEqualTo(404);
            Answer bad = call(http, "PUT", "/faults", "latency=soon");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.body()).startsWith("fault 'latency=soon': latency takes a duration");
            assertThat(server.faults().list()).as("a bad request changes nothing").hasSize(4);

            // The set in force meets the next connection, and Prometheus counts it.
            call(http, "PUT", "/faults", "stall=0");
            Endpoint e = server.boundEndpoints().get(0);
            try (Socket s = new Socket(e.host(), e.port())) {
                s.setSoTimeout(300);
                s.getOutputStream().write('x');
                assertThat(s.getInputStream().readNBytes(1).length).isZero();
            } catch (java.net.SocketTimeoutException stalled) {
                // what a stall looks like
            }
            String scrape = call(http, "GET", "/metrics", null).body();
            assertThat(scrape).containsPattern("jecho_faults_met_total\\{fault=\"stall\",listener=\"tcp://127.0.0.1:\\d+\",service=\"echo\"} 1.0");

            assertThat(specs(call(http, "DELETE", "/faults", null))).isEmpty();
            assertThat(server.faults().list()).isEmpty();
        }
    }

    @Test
    void aServerNotStartedForFaultsKeepsThemOffOverHttp() throws Exception {
        PrometheusMetrics metrics = PrometheusMetricsSupport.withoutJvm();
        try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).recorder(metrics).start();
             MetricsHttpServer http = MetricsHttpServer.start(Endpoint.tcp("127.0.0.1", 0), metrics, server)) {
            Answer put = call(http, "PUT", "/faults", "refuse");
            assertThat(put.status()).isEqualTo(404);
            assertThat(put.body()).startsWith("faults are off: start the server with --fault or --fault-seed");
            assertThat(server.faults().list()).isEmpty();
        }
    }
}
