package dev.jecho;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jecho.testing.JechoProcess;
import dev.jecho.testing.Scrape;
import dev.jecho.testing.StreamClient;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The operator's side of {@code jecho server} as a process: banner, JSON logs, quiet load-test mode. */
class OperationsCliTest {

    @Test
    void bannerNamesListenersTransportProxySettingsAndTheMetricsAddress() throws Exception {
        try (JechoProcess server = JechoProcess.start("server", "--tcp", "127.0.0.1:0", "--proxy-protocol",
                "--trusted-proxy", "10.0.0.0/8", "--metrics", "127.0.0.1:0", "--transport", "nio", "--io-threads", "1")) {
            server.awaitListening(1);
            String metrics = server.awaitMetricsUrl();
            assertThat(Scrape.get(metrics + "/health").statusCode()).isEqualTo(200);
            server.terminate();
            assertThat(server.waitFor(10)).isZero();
            String banner = String.join("\n", bannerLines(server));
            assertThat(banner).startsWith("jecho ").contains("transport nio, 1 I/O thread")
                    .contains("proxy protocol: TCP listeners expect a PROXY v1/v2 header from 10.0.0.0/8")
                    .contains("limits: backlog 4096").contains("metrics: http://127.0.0.1:");
        }
    }

    @Test
    void logFormatJsonWritesOneObjectPerLineWithTheConnectionFields() throws Exception {
        try (JechoProcess server = JechoProcess.start("server", "--tcp", "127.0.0.1:0", "--log-format", "json")) {
            Endpoint tcp = server.awaitListening(1).get(0);
            try (StreamClient client = StreamClient.connect(tcp)) {
                client.exchange("hi".getBytes(StandardCharsets.US_ASCII));
            }
            Thread.sleep(200); // let the close line be written
            server.terminate();
            assertThat(server.waitFor(10)).isZero();
            List<JsonNode> lines = new ArrayList<>();
            ObjectMapper json = new ObjectMapper();
            for (String line : server.stderr().strip().split("\n")) {
                lines.add(json.readTree(line)); // every line is JSON, or this throws
            }
            assertThat(lines).anySatisfy(l -> {
                assertThat(l.get("event").asText()).isEqualTo("connected");
                assertThat(l.get("peer").asText()).startsWith("127.0.0.1:");
                assertThat(l.get("level").asText()).isEqualTo("INFO");
                assertThat(l.get("time").asText()).endsWith("Z");
            });
            assertThat(lines).anySatisfy(l -> {
                assertThat(l.get("event").asText()).isEqualTo("closed");
                assertThat(l.get("bytes_in").asLong()).isEqualTo(2);
                assertThat(l.get("message").asText()).contains("closed after 1 message, 2 bytes");
            });
        }
    }

    @Test
    void noConnectionLogSilencesTheLinesButTheMetricsStillCount() throws Exception {
        try (JechoProcess server = JechoProcess.start("server", "--tcp", "127.0.0.1:0", "--no-connection-log",
                "--metrics", "127.0.0.1:0")) {
            Endpoint tcp = server.awaitListening(1).get(0);
            String metrics = server.awaitMetricsUrl();
            for (int i = 0; i < 3; i++) {
                try (StreamClient client = StreamClient.connect(tcp)) {
                    client.exchange("x".getBytes(StandardCharsets.US_ASCII));
                }
            }
            assertThat(Scrape.of(metrics + "/metrics").count("jecho_connections_accepted_total")).isEqualTo(3);
            server.terminate();
            assertThat(server.waitFor(10)).isZero();
            assertThat(server.stderr()).doesNotContain("connected").doesNotContain("closed after");
        }
    }

    private static List<String> bannerLines(JechoProcess server) throws Exception {
        return server.stdoutLines(); // the metrics line ends the banner, and awaitMetricsUrl read up to it
    }
}
