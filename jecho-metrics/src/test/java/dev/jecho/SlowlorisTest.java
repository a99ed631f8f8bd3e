package dev.jecho;


import dev.jecho.internal.keys.SharedKey;
import dev.jecho.ServerStats.Refusal;
import dev.jecho.internal.protocol.handshake.HandshakeFormat;
import dev.jecho.testing.Metered;
import dev.jecho.testing.Scrape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 4's slowloris, against a real {@link JechoServer} with a secret, over loopback sockets from distinct
 * 127.0.N.1 sources (each its own /24, the default source prefix). 2,000 connection attempts from four
 * addresses each send one byte of a valid auth message a second and never finish it: the per-source cap
 * (16) refuses the excess at once (closed before the server says a word, its penalty refusing most of
 * them), the held ones are closed by the handshake's absolute deadline however many bytes they trickle, and 50 clients from
 * other addresses authenticate and get their replies meanwhile. Then OpenSSH's {@code login-timeout.sh}
 * pattern: right after the deadline has freed the slots the attacking addresses are still serving their
 * penalty, and once it has run out a client from each of them authenticates. The deadline and the
 * penalties are short so that it runs in seconds; the figures are printed.
 */
class SlowlorisTest {

    static final SharedKey KEY = new SharedKey("k", AuthenticatedJsonTest.bytes(0x3c));
    static final int ATTEMPTS = 2000;
    static final String[] ATTACKERS = {"127.0.10.1", "127.0.11.1", "127.0.12.1", "127.0.13.1"};
    static final int PER_SOURCE = 16;
    static final Duration DEADLINE = Duration.ofSeconds(3);
    /** Each timeout adds 2 s and each refusal 1 s, capped at 3 s; refused once more than 1 s is outstanding. */
    static final String PENALTIES = "authfail:1s,timeout:2s,refused:1s,noauth:0,min:1s,max:3s,max-sources:1000";
    static final Duration LONGEST_PENALTY = Duration.ofSeconds(3);
    static final int GOOD = 50;

    /** One attacking connection, watched by the selector thread. */
    static final class Attempt {
        final SocketChannel ch;
        final long connectedAt;
        volatile long closedAt;
        volatile int trickled;
        /** What the server sent before closing: its hello, or nothing. */
        volatile int bytesRead;

        Attempt(SocketChannel ch, long connectedAt) {
            this.ch = ch;
            this.connectedAt = connectedAt;
        }

        long lifeNanos() {
            return closedAt - connectedAt;
        }
    }

    @Test
    @Timeout(90)
    void slowHandshakesAreCappedPerSourceClosedByTheDeadlineAndEveryoneElseIsServed() throws Exception {
        // a valid start of a client auth message: the server cannot fail it, only wait for the rest
        byte[] trickle = new byte[HandshakeFormat.CLIENT_AUTH_PREFIX];
        System.arraycopy(HandshakeFormat.MAGIC, 0, trickle, 0, 4);
        trickle[4] = HandshakeFormat.VERSION;
        trickle[5] = 1;
        try (JechoServer server = Metered.start(JechoServer.builder().tcp("127.0.0.1", 0).json(true).keys(KEY.toKeyring())
                .maxStartupsPerIp(PER_SOURCE).handshakeTimeout(DEADLINE).penalties(PENALTIES)
                .backlog(4096).logConnections(false));
             Selector selector = Selector.open()) {
            Endpoint endpoint = server.boundEndpoints().get(0);
            List<Attempt> attempts = new CopyOnWriteArrayList<>();
            ConcurrentLinkedQueue<Attempt> toWatch = new ConcurrentLinkedQueue<>();
            Thread watcher = new Thread(() -> watch(selector, toWatch), "slowloris-watcher");
            watcher.start();
            ExecutorService good = Executors.newFixedThreadPool(10);
            AtomicBoolean trickling = new AtomicBoolean(true);
            Thread trickler = new Thread(() -> trickle(attempts, trickle, trickling), "slowloris-trickler");
            trickler.start();
            try {
                long floodStart = System.nanoTime();
                List<Future<Long>> served = new ArrayList<>();
                for (int i = 0; i < ATTEMPTS; i++) {
                    SocketChannel ch = SocketChannel.open();
                    ch.bind(new InetSocketAddress(ATTACKERS[i % ATTACKERS.length], 0));
                    ch.connect(new InetSocketAddress(endpoint.host(), endpoint.port()));
                    Attempt a = new Attempt(ch, System.nanoTime());
                    ch.write(ByteBuffer.wrap(trickle, 0, 1));
                    a.trickled = 1;
                    ch.configureBlocking(false);
                    attempts.add(a);
                    toWatch.add(a);
                    selector.wakeup();
                    if (i % (ATTEMPTS / GOOD) == 0) { // good clients from other addresses, during the flood
                        String from = "127.0.1." + (1 + served.size());
                        served.add(good.submit(() -> authenticatesAndIsServed(endpoint, from)));
                    }
                }
                long floodTook = System.nanoTime() - floodStart;
                long slowestGood = 0;
                for (Future<Long> f : served) {
                    slowestGood = Math.max(slowestGood, f.get(30, TimeUnit.SECONDS));
                }
                long giveUpAt = System.nanoTime() + DEADLINE.toNanos() + TimeUnit.SECONDS.toNanos(10);
                while (attempts.stream().anyMatch(a -> a.closedAt == 0) && System.nanoTime() < giveUpAt) {
                    Thread.sleep(20);
                }
                trickling.set(false);
                trickler.join(5000);
                long lastClose = attempts.stream().mapToLong(a -> a.closedAt).max().orElse(0);
                assertThat(attempts).as("every attempt closed by the server").allMatch(a -> a.closedAt != 0);

                // Held: admitted (the server said hello). The client's clock starts when its connect returns, a
                // little after the server's accept started the deadline, so lives are compared with a margin.
                List<Attempt> held = attempts.stream().filter(a -> a.bytesRead > 0).toList();
                List<Attempt> refused = attempts.stream().filter(a -> a.bytesRead == 0).toList();
                long slowestRefusal = refused.stream().mapToLong(Attempt::lifeNanos).max().orElse(0);
                long earliestClose = held.stream().mapToLong(Attempt::lifeNanos).min().orElse(0);
                long latestClose = held.stream().mapToLong(Attempt::lifeNanos).max().orElse(0);
                assertThat(held).as("held: %d per source", PER_SOURCE).hasSize(PER_SOURCE * ATTACKERS.length);
                assertThat(refused).hasSize(ATTEMPTS - PER_SOURCE * ATTACKERS.length);
                assertThat(slowestRefusal).as("ns from connect to refusal, slowest: at once, not at the deadline")
                        .isLessThan(DEADLINE.toNanos() / 2);
                assertThat(earliestClose).as("ns from connect to the deadline's close, earliest: not before the deadline")
                        .isGreaterThan(DEADLINE.toNanos() - TimeUnit.MILLISECONDS.toNanos(250));
                assertThat(latestClose).as("ns from connect to the deadline's close, latest: bytes did not extend it")
                        .isLessThan(DEADLINE.toNanos() + TimeUnit.MILLISECONDS.toNanos(1500));
                assertThat(held).as("each held one trickled bytes while it waited").allMatch(a -> a.trickled >= 3);
                assertThat(held).as("held ones got the server hello").allMatch(a -> a.bytesRead == HandshakeFormat.SERVER_HELLO_LENGTH);

                ServerStats stats = server.stats();
                long byCap = stats.refusedConnections(Refusal.STARTUPS_PER_IP);
                long byPenalty = stats.refusedConnections(Refusal.PENALTY);
                assertThat(byCap + byPenalty).isEqualTo(refused.size());
                assertThat(stats.timedOutConnections(ServerStats.Timeout.HANDSHAKE)).as("each timeout counted once")
                        .isEqualTo(held.size());
                Scrape metrics = Scrape.of("http://" + Metered.address(server).address() + "/metrics");
                assertThat(metrics.count("jecho_handshakes_failed_total", "reason", "timeout")).isEqualTo(held.size());
                assertThat(metrics.value("jecho_handshakes_failed_total", "reason", "disconnected"))
                        .as("a refused connection had no handshake to fail").isEmpty();
                assertThat(metrics.count("jecho_handshakes_succeeded_total")).isEqualTo(GOOD);

                // login-timeout.sh: the slots are free, but the source's penalty still refuses it ...
                for (String attacker : ATTACKERS) {
                    assertThat(authenticates(endpoint, attacker)).as("%s right after the deadline", attacker).isFalse();
                }
                // ... until it has run out
                long backBy = lastClose + LONGEST_PENALTY.toNanos() + TimeUnit.SECONDS.toNanos(10);
                long[] readmittedAfter = new long[ATTACKERS.length];
                for (int i = 0; i < ATTACKERS.length; i++) {
                    while (!authenticates(endpoint, ATTACKERS[i])) {
                        assertThat(System.nanoTime()).as("%s readmitted", ATTACKERS[i]).isLessThan(backBy);
                        Thread.sleep(100);
                    }
                    readmittedAfter[i] = System.nanoTime() - lastClose;
                }
                long quietBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (server.stats().openConnections() > 0 && System.nanoTime() < quietBy) {
                    Thread.sleep(10);
                }
                assertThat(server.stats().openConnections()).as("nothing left open").isZero();
                System.out.printf("slowloris: %d attempts from %d addresses in %d ms (deadline %d ms, %d per source);"
                                + " %d held, %d refused (%d by the cap, %d by the penalty; slowest refusal %d ms);"
                                + " held ones closed %d-%d ms after connecting, after trickling %d-%d bytes;"
                                + " %d good clients from other addresses authenticated and were answered meanwhile (slowest %d ms);"
                                + " attacking addresses refused right after the last close, readmitted %s ms after it%n",
                        ATTEMPTS, ATTACKERS.length, ms(floodTook), DEADLINE.toMillis(), PER_SOURCE,
                        held.size(), refused.size(), byCap, byPenalty, ms(slowestRefusal), ms(earliestClose), ms(latestClose),
                        held.stream().mapToInt(a -> a.trickled).min().orElse(0),
                        held.stream().mapToInt(a -> a.trickled).max().orElse(0), GOOD, ms(slowestGood),
                        Arrays.toString(Arrays.stream(readmittedAfter).map(SlowlorisTest::ms).toArray()));
            } finally {
                trickling.set(false);
                good.shutdownNow();
                watcher.interrupt();
                watcher.join(5000);
                for (Attempt a : attempts) {
                    a.ch.close();
                }
            }
        }
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    /** Authenticates from {@code from} and exchanges one JSON value; returns how long that took. */
    private static long authenticatesAndIsServed(Endpoint endpoint, String from) throws Exception {
        long start = System.nanoTime();
        try (JechoClient c = client(endpoint, from).connect()) {
            String reply = new String(JechoClient.await(c.sendText("hello from " + from)), StandardCharsets.UTF_8);
            assertThat(reply).isEqualTo("\"HELLO FROM " + from + "\"");
        }
        return System.nanoTime() - start;
    }

    /** True when a client from {@code from} authenticates and is answered; false when the server closes on it. */
    private static boolean authenticates(Endpoint endpoint, String from) throws Exception {
        try {
            authenticatesAndIsServed(endpoint, from);
            return true;
        } catch (ClientException e) {
            // closed after the hello, or reset while our auth message was on its way
            assertThat(e.reason()).as(e.getMessage()).isIn(ClientException.Reason.CLOSED, ClientException.Reason.IO);
            return false;
        }
    }

    private static ClientConfig.Builder client(Endpoint endpoint, String from) throws IOException {
        return ClientConfig.builder(endpoint).keys(KEY.toKeyring()).json(true).localAddress(InetAddress.getByName(from))
                .timeout(Duration.ofSeconds(20)).handshakeTimeout(Duration.ofSeconds(20));
    }

    /** Sends each open attempt its next byte one second after the previous one, until the bytes run out. */
    private static void trickle(List<Attempt> attempts, byte[] bytes, AtomicBoolean running) {
        while (running.get()) {
            long now = System.nanoTime();
            for (Attempt a : attempts) {
                if (a.closedAt == 0 && a.trickled < bytes.length && now - a.connectedAt >= a.trickled * 1_000_000_000L) {
                    try {
                        a.ch.write(ByteBuffer.wrap(bytes, a.trickled, 1));
                        a.trickled++;
                    } catch (IOException closedMeanwhile) {
                        // the watcher records when the server closed it
                    }
                }
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    /** Records when the server closes each attempt (its hello is read and dropped). */
    private static void watch(Selector selector, ConcurrentLinkedQueue<Attempt> toWatch) {
        ByteBuffer buf = ByteBuffer.allocate(64);
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Attempt a;
                while ((a = toWatch.poll()) != null) {
                    a.ch.register(selector, SelectionKey.OP_READ, a);
                }
                selector.select(50);
                for (SelectionKey key : selector.selectedKeys()) {
                    Attempt attempt = (Attempt) key.attachment();
                    int n;
                    try {
                        buf.clear();
                        n = attempt.ch.read(buf);
                    } catch (IOException reset) {
                        n = -1;
                    }
                    if (n > 0) {
                        attempt.bytesRead += n;
                    }
                    if (n < 0) {
                        attempt.closedAt = System.nanoTime();
                        key.cancel();
                        attempt.ch.close();
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (ClosedSelectorException done) {
            // the test is over
        }
    }
}
