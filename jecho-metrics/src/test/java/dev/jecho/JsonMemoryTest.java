package dev.jecho;

import dev.jecho.testing.LogCapture;
import dev.jecho.testing.Metered;
import dev.jecho.testing.Scrape;
import dev.jecho.testing.StreamClient;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What JSON mode holds in memory: each connection's unfinished message is bounded by {@code --max-line},
 * and all of them together by {@code --max-partial-bytes}; the connection that would pass the budget is told
 * {@code server_busy} and closed, counted and logged, and the others go on. The allocator metric reads the
 * allocator the server's channels really use.
 */
class JsonMemoryTest {

    private static final int MAX_LINE = 64 * 1024;
    private static final int BUDGET = 256 * 1024;
    private static final int PARTIAL = 60 * 1024;      // four fit in the budget, five do not
    private static final String BUSY = "{\"error\":\"server_busy\",\"detail\":\"the server holds as many unfinished"
            + " messages as it may; closing\"}";

    @Test
    void unfinishedMessagesOfAllConnectionsStayWithinTheServersBudget() throws Exception {
        ExecutorService readers = Executors.newCachedThreadPool();
        try (LogCapture log = LogCapture.start();
             JechoServer server = Metered.start(JechoServer.builder().tcp("127.0.0.1", 0).json(true).service(Service.UPPER)
                     .maxLine(MAX_LINE).maxPartialBytes(BUDGET))) {
            Endpoint endpoint = server.boundEndpoints().get(0);
            String line = "\"" + "x".repeat(PARTIAL - 1);
            byte[] start = line.getBytes(StandardCharsets.US_ASCII);
            String reply = line.toUpperCase(java.util.Locale.ROOT) + "\"";

            // Six connections each send 60 KiB of a line and stop: 360 KiB would be held, the budget is 256 KiB.
            List<StreamClient> clients = new ArrayList<>();
            List<Future<String>> lines = new ArrayList<>();
            try {
                for (int i = 0; i < 6; i++) {
                    StreamClient client = StreamClient.connect(endpoint);
                    clients.add(client);
                    client.write(start);
                    lines.add(readers.submit(() -> readLine(client)));
                }
                // Those the budget had no room for are answered (and closed) now; the rest hold their line.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (lines.stream().filter(Future::isDone).count() < 2 && System.nanoTime() - deadline < 0) {
                    Thread.sleep(5);
                }
                List<Integer> refused = new ArrayList<>();
                for (int i = 0; i < lines.size(); i++) {
                    if (lines.get(i).isDone()) {
                        assertThat(lines.get(i).get()).as("connection %d", i).isEqualTo(BUSY);
                        assertThat(clients.get(i).readUntilClosed(Duration.ofSeconds(10))).as("closed after server_busy").isZero();
                        refused.add(i);
                    }
                }
                assertThat(refused).as("at most four 60 KiB lines fit in 256 KiB").hasSizeGreaterThanOrEqualTo(2);

                for (int i = 0; i < clients.size(); i++) {
                    if (!refused.contains(i)) {
                        clients.get(i).write("\"\n".getBytes(StandardCharsets.US_ASCII));
                        assertThat(lines.get(i).get(20, TimeUnit.SECONDS)).as("connection %d goes on", i).isEqualTo(reply);
                    }
                }

                Scrape metrics = Scrape.of("http://" + Metered.address(server).address() + "/metrics");
                assertThat(metrics.count("jecho_connections_refused_total", "listener", endpoint.toString(),
                        "reason", "partial_messages")).isEqualTo(refused.size());
                assertThat(metrics.count("netty_allocator_memory_used_bytes", "allocator", "PooledByteBufAllocator",
                        "area", "direct")).as("the allocator the channels use, after traffic").isPositive();
                awaitLogged(log, "refused: unfinished messages of all connections reached --max-partial-bytes (262144 bytes)");
            } finally {
                for (StreamClient client : clients) {
                    client.close();
                }
            }

            // Every byte was given back: four lines of 60 KiB fit again, whatever happened before.
            List<StreamClient> again = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    again.add(StreamClient.connect(endpoint));
                    again.get(i).write(start);
                }
                for (StreamClient client : again) {
                    client.write("\"\n".getBytes(StandardCharsets.US_ASCII));
                    assertThat(readLine(client)).isEqualTo(reply);
                }
            } finally {
                for (StreamClient client : again) {
                    client.close();
                }
            }
        } finally {
            readers.shutdownNow();
        }
    }

    @Test
    void aBudgetThatCannotHoldOneLongestMessageIsRefusedAndTheDefaultHoldsOne() {
        assertThatThrownBy(() -> ServerConfig.builder().json(true).maxLine(MAX_LINE).maxPartialBytes(MAX_LINE - 1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("max-partial-bytes (65535) must be at least max-line (65536): one message of the longest kind must fit");
        ServerConfig defaults = ServerConfig.builder().json(true).build();
        assertThat(defaults.effectiveMaxPartialBytes()).isGreaterThanOrEqualTo(defaults.maxLine());
    }

    /** One reply line without its newline, or what came before the connection closed. */
    private static String readLine(StreamClient client) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(16 * 1024);
        while (true) {
            buf.clear();
            int n = client.channel().read(buf);
            if (n < 0) {
                return line.toString(StandardCharsets.UTF_8);
            }
            for (int i = 0; i < n; i++) {
                byte b = buf.get(i);
                if (b == '\n') {
                    return line.toString(StandardCharsets.UTF_8);
                }
                line.write(b);
            }
        }
    }

    private static void awaitLogged(LogCapture log, String text) throws InterruptedException {
        log.awaitLine(l -> l.contains(text), Duration.ofSeconds(10));
    }
}
