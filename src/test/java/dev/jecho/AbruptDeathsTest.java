package dev.jecho;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.jecho.server.JechoServer;
import dev.jecho.service.Service;
import dev.jecho.testing.LogCapture;
import dev.jecho.testing.StreamClient;
import dev.jecho.transport.Endpoint;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 500 clients reset their connections (SO_LINGER 0) at random points: right after connecting, in the
 * middle of a message, while the server is still writing a large reply, after reading part of it. The
 * server's connection count is back to zero within a second, no buffer leaks (the leak detector runs at
 * PARANOID and {@code LeakCheck} fails the class), nothing is logged above INFO, no stack trace, and each
 * death costs at most one line: its close line (the connection log writes a connect line at its start).
 * Raw mode here; the mid-handshake and mid-JSON-line deaths join when those modes are merged.
 */
class AbruptDeathsTest {

    static final int CLIENTS = 500;
    static final Pattern CLOSE_LINE = Pattern.compile("tcp (\\S+) closed after .* \\((.*), \\d+(?:\\.\\d+)? (?:ms|s)\\)");

    @Test
    void fiveHundredResetsLeaveNoConnectionNoLeakAndOneLineEach() throws Exception {
        try (LogCapture log = LogCapture.start();
             JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).service(Service.ECHO).backlog(512).start()) {
            Endpoint endpoint = server.boundEndpoints().get(0);
            ExecutorService pool = Executors.newFixedThreadPool(25);
            List<Future<?>> deaths = new ArrayList<>();
            try {
                for (int i = 0; i < CLIENTS; i++) {
                    long seed = i;
                    deaths.add(pool.submit(() -> {
                        die(endpoint, new Random(seed));
                        return null;
                    }));
                }
                for (Future<?> f : deaths) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            long lastDeath = System.nanoTime();
            while (server.stats().openConnections() > 0 && System.nanoTime() - lastDeath < TimeUnit.SECONDS.toNanos(1)) {
                Thread.sleep(5);
            }
            assertThat(server.stats().openConnections()).as("open connections a second after the last reset").isZero();
            assertThat(server.stats().acceptedConnections()).isEqualTo(CLIENTS);

            List<ILoggingEvent> events = log.events();
            assertThat(events).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).isEmpty();
            assertThat(events).filteredOn(e -> e.getThrowableProxy() != null).isEmpty();
            Map<String, Integer> closeLinesByPeer = new HashMap<>();
            for (ILoggingEvent e : events) {
                String line = e.getFormattedMessage();
                Matcher m = CLOSE_LINE.matcher(line);
                if (m.matches()) {
                    closeLinesByPeer.merge(m.group(1), 1, Integer::sum);
                    assertThat(m.group(2)).as(line).isIn("peer reset", "peer closed", "peer went away");
                } else {
                    assertThat(line).as("every line is a connection line or the held-back summary")
                            .matches("tcp \\S+ connected|\\d+ connection log lines held back .*");
                }
            }
            assertThat(closeLinesByPeer).as("connections with a close line").isNotEmpty();
            assertThat(closeLinesByPeer.values()).as("close lines per connection").allMatch(n -> n == 1);
            assertThat(events.size()).isLessThanOrEqualTo(2 * CLIENTS + 10);
        }
    }

    /** Connects, does a random part of a conversation, and resets. */
    private static void die(Endpoint endpoint, Random random) throws Exception {
        StreamClient client = StreamClient.connect(endpoint);
        switch (random.nextInt(5)) {
            case 0 -> { } // reset right after connecting
            case 1 -> client.write(randomBytes(random, 1 + random.nextInt(2000))); // a message cut short
            case 2 -> { // part of a reply read, the rest abandoned
                byte[] message = randomBytes(random, 1000 + random.nextInt(20_000));
                client.write(message);
                client.read(1 + random.nextInt(message.length));
            }
            case 3 -> { // a large reply still being written by the server
                client.channel().configureBlocking(false);
                ByteBuffer big = ByteBuffer.wrap(randomBytes(random, 1 << 20));
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
                while (big.hasRemaining() && System.nanoTime() < until) {
                    client.channel().write(big);
                }
            }
            default -> { // a finished exchange, then a reset instead of a close
                byte[] message = randomBytes(random, 1 + random.nextInt(100));
                client.exchange(message);
            }
        }
        client.reset();
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
