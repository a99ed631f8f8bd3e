package dev.jecho;

import dev.jecho.testing.Payloads;
import dev.jecho.testing.StreamClient;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

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
 * A thousand clients connected at once, each doing twenty round trips of random bytes (1 B to 16 KiB):
 * every reply equals the expected transform byte for byte, nothing lost, nothing reordered.
 */
class ConcurrentClientsTest {

    static final int CLIENTS = 1000;
    static final int ROUND_TRIPS = 20;

    @TempDir
    Path dir;

    enum Kind { TCP, UNIX }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void thousandConcurrentClientsGetEveryReplyExactly(Kind kind) throws Exception {
        var builder = JechoServer.builder().service(Service.UPPER).backlog(1024).logConnections(false);
        if (kind == Kind.TCP) {
            builder.tcp("127.0.0.1", 0);
        } else {
            builder.unix(dir.resolve("jecho.sock"));
        }
        try (JechoServer server = builder.start()) {
            Endpoint endpoint = server.boundEndpoints().get(0);
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            CountDownLatch allConnected = new CountDownLatch(CLIENTS);
            AtomicInteger roundTrips = new AtomicInteger();
            List<Future<?>> results = new ArrayList<>();
            List<StreamClient> clients = java.util.Collections.synchronizedList(new ArrayList<>());
            try {
                for (int c = 0; c < CLIENTS; c++) {
                    long seed = c;
                    results.add(pool.submit(() -> {
                        Random random = new Random(seed);
                        try (StreamClient client = StreamClient.connect(endpoint)) {
                            clients.add(client);
                            allConnected.countDown();
                            // every client is connected before any round trip: they are served at once
                            allConnected.await(60, TimeUnit.SECONDS);
                            for (int i = 0; i < ROUND_TRIPS; i++) {
                                byte[] message = Payloads.random(random, 1, 16 * 1024);
                                assertThat(client.exchange(message)).isEqualTo(Payloads.upper(message));
                                roundTrips.incrementAndGet();
                            }
                        }
                        return null;
                    }));
                }
                assertThat(allConnected.await(60, TimeUnit.SECONDS)).as("all clients connected").isTrue();
                assertThat(server.stats().openConnections()).isLessThanOrEqualTo(CLIENTS);
                for (Future<?> result : results) {
                    result.get(90, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
                synchronized (clients) {
                    for (StreamClient client : clients) {
                        client.close(); // unblocks anything still waiting after a failure
                    }
                }
                pool.awaitTermination(10, TimeUnit.SECONDS);
            }
            assertThat(roundTrips.get()).isEqualTo(CLIENTS * ROUND_TRIPS);
            assertThat(server.stats().acceptedConnections()).isEqualTo(CLIENTS);
        }
    }
}
