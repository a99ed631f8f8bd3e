package dev.jecho;

import dev.jecho.testing.Payloads;
import dev.jecho.testing.ListenerKind;
import dev.jecho.testing.Session;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A thousand clients connected at once, each doing twenty round trips of random messages (1 B to 16 KiB):
 * every reply equals the expected transform byte for byte, nothing lost, nothing reordered. Over every listener
 * kind of the matrix: a thousand clients with raw bytes on plain TCP and Unix sockets; on each other kind fifty,
 * with messages up to 2 KiB (every client a TLS handshake or jecho's, every JSON line parsed and re-serialized: a
 * hundred clients with 16 KiB took 2.5 minutes for the ten kinds on a busy two-core machine; fifty are still far
 * more clients than event loops).
 */
class ConcurrentClientsTest {

    static final int ROUND_TRIPS = 20;

    @TempDir
    Path dir;

    static int clients(ListenerKind kind) {
        return kind.plainRaw() ? 1000 : 50;
    }

    static int largestMessage(ListenerKind kind) {
        return kind.plainRaw() ? 16 * 1024 : 2 * 1024;
    }

    @ParameterizedTest
    @MethodSource("dev.jecho.testing.ListenerKind#all")
    void thousandConcurrentClientsGetEveryReplyExactly(ListenerKind kind) throws Exception {
        int clientCount = clients(kind);
        // all at once from one address: the authenticated kinds' per-source cap on handshakes in progress must allow them
        try (JechoServer server = kind.start(dir, options -> options.service(Service.UPPER).backlog(1024)
                .logConnections(false).maxStartupsPerIp(clientCount))) {
            Endpoint endpoint = server.boundEndpoints().get(0);
            ExecutorService pool = Executors.newFixedThreadPool(clientCount);
            CountDownLatch allConnected = new CountDownLatch(clientCount);
            AtomicInteger roundTrips = new AtomicInteger();
            List<Future<?>> results = new ArrayList<>();
            List<Session> clients = java.util.Collections.synchronizedList(new ArrayList<>());
            try {
                for (int c = 0; c < clientCount; c++) {
                    long seed = c;
                    results.add(pool.submit(() -> {
                        Random random = new Random(seed);
                        try (Session client = kind.connect(endpoint)) {
                            clients.add(client);
                            allConnected.countDown();
                            // every client is connected before any round trip: they are served at once
                            allConnected.await(60, TimeUnit.SECONDS);
                            for (int i = 0; i < ROUND_TRIPS; i++) {
                                byte[] message = kind.stream(random, 1 + random.nextInt(largestMessage(kind)));
                                client.send(message);
                                assertThat(client.receive(message.length)).isEqualTo(Payloads.upper(message));
                                roundTrips.incrementAndGet();
                            }
                        }
                        return null;
                    }));
                }
                assertThat(allConnected.await(60, TimeUnit.SECONDS)).as("all clients connected").isTrue();
                assertThat(server.stats().openConnections()).isLessThanOrEqualTo(clientCount);
                for (Future<?> result : results) {
                    result.get(90, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
                synchronized (clients) {
                    for (Session client : clients) {
                        client.close(); // unblocks anything still waiting after a failure
                    }
                }
                pool.awaitTermination(10, TimeUnit.SECONDS);
            }
            assertThat(roundTrips.get()).isEqualTo(clientCount * ROUND_TRIPS);
            assertThat(server.stats().acceptedConnections()).isEqualTo(clientCount);
        }
    }
}
