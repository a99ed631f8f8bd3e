package dev.jecho;

import dev.jecho.internal.transport.NettyTransport;
import dev.jecho.ServerStats.Refusal;
import dev.jecho.testing.Metered;
import dev.jecho.testing.Scrape;
import dev.jecho.testing.StreamClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A connection flood past {@code --max-connections}: the excess is refused and counted (in the stats and in
 * the listener's {@code jecho_connections_refused_total{reason="max_connections"}}), established clients see nothing.
 */
class ConnectionFloodTest {

    static final int MAX = 50;
    static final int EXCESS = 300;

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"EPOLL", "IO_URING", "NIO"})
    void connectionsPastTheCapAreClosedAtOnceWhileEstablishedOnesKeepWorking(Transport transport) throws Exception {
        assumeTrue(transport != Transport.EPOLL || io.netty.channel.epoll.Epoll.isAvailable());
        assumeTrue(NettyTransport.available(transport), transport.cliName() + " is not available here");
        try (JechoServer server = Metered.start(JechoServer.builder().tcp("127.0.0.1", 0).service(Service.UPPER).maxConnections(MAX).transport(transport)
                .backlog(512).logConnections(false))) {
            Endpoint endpoint = server.boundEndpoints().get(0);
            List<StreamClient> established = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(16);
            try {
                for (int i = 0; i < MAX; i++) {
                    StreamClient c = StreamClient.connect(endpoint);
                    assertThat(c.exchange(bytes("hello " + i))).isEqualTo(bytes("HELLO " + i));
                    established.add(c);
                }
                List<Future<String>> excess = new ArrayList<>();
                for (int i = 0; i < EXCESS; i++) {
                    excess.add(pool.submit(() -> refusedOutcome(endpoint)));
                }
                for (Future<String> f : excess) {
                    assertThat(f.get(30, TimeUnit.SECONDS)).isIn("end of stream", "reset");
                }
                assertThat(server.stats().refusedConnections(Refusal.MAX_CONNECTIONS)).isEqualTo(EXCESS);
                assertThat(Scrape.of("http://" + Metered.address(server).address() + "/metrics")
                        .count("jecho_connections_refused_total", "listener", endpoint.toString(), "reason", "max_connections"))
                        .as("in the listener's Prometheus metrics").isEqualTo(EXCESS);
                assertThat(server.stats().openConnections()).isEqualTo(MAX);
                for (int i = 0; i < MAX; i++) {
                    assertThat(established.get(i).exchange(bytes("still here " + i))).isEqualTo(bytes("STILL HERE " + i));
                }

                for (int i = 0; i < 10; i++) {
                    established.remove(0).close();
                }
                awaitOpen(server, MAX - 10);
                for (int i = 0; i < 10; i++) {
                    StreamClient c = StreamClient.connect(endpoint);
                    assertThat(c.exchange(bytes("new " + i))).as("a freed place is usable").isEqualTo(bytes("NEW " + i));
                    established.add(c);
                }
                assertThat(server.stats().refusedConnections()).isEqualTo(EXCESS);
            } finally {
                pool.shutdownNow();
                for (StreamClient c : established) {
                    c.close();
                }
            }
        }
    }

    /** Connects past the cap: the server must close at once and send nothing, even after we write. */
    private static String refusedOutcome(Endpoint endpoint) throws IOException {
        try (StreamClient c = StreamClient.connect(endpoint)) {
            c.channel().socket().setSoTimeout(10_000);
            try {
                c.write(bytes("let me in"));
                int n = c.channel().socket().getInputStream().read(new byte[16]);
                return n < 0 ? "end of stream" : "got " + n + " bytes";
            } catch (IOException e) {
                return String.valueOf(e.getMessage()).contains("reset") || String.valueOf(e.getMessage()).contains("Broken pipe")
                        ? "reset" : e.toString();
            }
        }
    }

    private static void awaitOpen(JechoServer server, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.stats().openConnections() != expected && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(server.stats().openConnections()).isEqualTo(expected);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
