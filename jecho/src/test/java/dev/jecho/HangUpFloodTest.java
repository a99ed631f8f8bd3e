package dev.jecho;

import dev.jecho.internal.keys.SharedKey;
import dev.jecho.ServerStats.Refusal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12's pattern, scaled down to run in seconds: several addresses of one machine (one /24) each hold
 * their per-source share of the startup slots, together all of them ({@code --max-startups} full), hang up
 * just before the handshake deadline and reconnect at once, so their slots are never free and they never
 * fail a handshake. Sixteen addresses of 16 connections filled 256 slots at 8 s of a 10 s deadline; here
 * four of four fill 16 at 1.6 s of 2 s. Meanwhile a client from another network connects, authenticates
 * and is answered, again and again: at least 90 % of its attempts succeed, because the attacking addresses
 * count as one source (a /24) whose hang-ups and refusals add up to a penalty.
 */
class HangUpFloodTest {

    static final SharedKey KEY = new SharedKey("k", AuthenticatedJsonTest.bytes(0x5a));
    static final String[] ATTACKERS = {"127.0.0.10", "127.0.0.11", "127.0.0.12", "127.0.0.13"};
    static final int PER_ADDRESS = 4;
    static final Duration DEADLINE = Duration.ofSeconds(2);
    static final long HANG_UP_AFTER_MS = DEADLINE.toMillis() * 8 / 10;
    static final String LEGITIMATE = "127.0.1.5";
    static final int ATTEMPTS = 40;

    @Test
    @Timeout(120)
    void addressesThatHoldEveryStartupSlotAndHangUpBeforeTheDeadlineDoNotKeepAnotherClientOut() throws Exception {
        int slots = ATTACKERS.length * PER_ADDRESS;
        try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).json(true).keys(KEY.toKeyring())
                .maxStartups(slots / 2 + ":30:" + slots).maxStartupsPerIp(PER_ADDRESS)
                .handshakeTimeout(DEADLINE).logConnections(false).start()) {
            Endpoint endpoint = server.boundEndpoints().get(0);
            AtomicBoolean attacking = new AtomicBoolean(true);
            AtomicInteger held = new AtomicInteger();
            AtomicInteger turnedAway = new AtomicInteger();
            CountDownLatch started = new CountDownLatch(slots);
            ExecutorService attackers = Executors.newFixedThreadPool(slots);
            int succeeded = 0;
            long attackStart = System.nanoTime();
            try {
                for (int i = 0; i < slots; i++) {
                    String from = ATTACKERS[i % ATTACKERS.length];
                    attackers.submit(() -> holdASlot(endpoint, from, attacking, started, held, turnedAway));
                }
                assertThat(started.await(30, TimeUnit.SECONDS)).as("every attacking connection tried once").isTrue();
                for (int i = 0; i < ATTEMPTS; i++) {
                    if (isServed(endpoint)) {
                        succeeded++;
                    }
                    Thread.sleep(50);
                }
            } finally {
                attacking.set(false);
                attackers.shutdownNow();
                assertThat(attackers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            }
            long tookMs = (System.nanoTime() - attackStart) / 1_000_000;
            long byCap = server.stats().refusedConnections(Refusal.STARTUPS_PER_IP);
            long byPenalty = server.stats().refusedConnections(Refusal.PENALTY);
            long byStartups = server.stats().refusedConnections(Refusal.STARTUPS);
            System.out.printf("hang-up flood: %d connections from %d addresses of one /24 (hang-up at %d ms of a %d ms"
                            + " deadline) were admitted %d times and turned away %d times (%d by the per-source cap, %d by"
                            + " the penalty, %d by --max-startups) in %d ms; %d of %d attempts from another network were served%n",
                    slots, ATTACKERS.length, HANG_UP_AFTER_MS, DEADLINE.toMillis(), held.get(), turnedAway.get(), byCap,
                    byPenalty, byStartups, tookMs, succeeded, ATTEMPTS);
            assertThat(held.get()).as("the attack held slots").isGreaterThan(0);
            assertThat(succeeded).as("attempts of the legitimate client served, of %d", ATTEMPTS)
                    .isGreaterThanOrEqualTo(ATTEMPTS * 9 / 10);
        }
    }

    /** One attacking connection at a time from {@code from}: held until just before the deadline, then dropped. */
    private static void holdASlot(Endpoint endpoint, String from, AtomicBoolean attacking, CountDownLatch started,
                                  AtomicInteger held, AtomicInteger turnedAway) {
        boolean first = true;
        while (attacking.get()) {
            long connectedAt = System.nanoTime();
            try (Socket s = new Socket()) {
                s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
                s.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), 5_000);
                s.setSoTimeout(10_000);
                InputStream in = s.getInputStream();
                boolean admitted = in.read() >= 0; // the server hello, or a close without a word
                if (first) {
                    first = false;
                    started.countDown();
                }
                if (admitted) {
                    held.incrementAndGet();
                    long holdNanos = TimeUnit.MILLISECONDS.toNanos(HANG_UP_AFTER_MS) - (System.nanoTime() - connectedAt);
                    TimeUnit.NANOSECONDS.sleep(Math.max(0, holdNanos));
                    continue; // hang up and take the slot again at once
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException refusedWithAReset) {
                if (first) {
                    first = false;
                    started.countDown();
                }
            }
            turnedAway.incrementAndGet();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** True when a client from {@link #LEGITIMATE} authenticates and gets its reply. */
    private static boolean isServed(Endpoint endpoint) throws IOException {
        ClientConfig.Builder config = ClientConfig.builder(endpoint).keys(KEY.toKeyring()).json(true)
                .localAddress(InetAddress.getByName(LEGITIMATE)).timeout(Duration.ofSeconds(10));
        try (JechoClient c = config.connect()) {
            return new String(JechoClient.await(c.sendText("hello")), StandardCharsets.UTF_8).equals("\"HELLO\"");
        } catch (Exception refused) {
            return false;
        }
    }
}
