package dev.jecho;

import dev.jecho.testing.Payloads;
import dev.jecho.testing.StreamClient;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 200 clients that send and never read, at once, while 10 ordinary clients keep working: the ordinary
 * clients' round-trip time stays near their own baseline measured in the same test (a generous factor, no
 * absolute timings), and the server holds at most the per-connection bound for each of the 200.
 */
class NeverReadingClientsTest {

    static final int NEVER_READERS = 200;
    static final int NORMAL = 10;
    static final int ROUND_TRIPS = 300;
    /** Generous: the machine is shared and noisy; without backpressure the event loops drown, far past this. */
    static final int FACTOR = 20;
    static final long PER_CLIENT = 16 << 20;

    @Test
    void twoHundredClientsThatNeverReadDoNotSlowTenThatDo() throws Exception {
        try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).service(Service.UPPER).backlog(512)
                .logConnections(false).start()) {
            Endpoint endpoint = server.boundEndpoints().get(0);
            List<StreamClient> normal = new ArrayList<>();
            List<SocketChannel> neverReaders = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(NORMAL);
            try {
                for (int i = 0; i < NORMAL; i++) {
                    normal.add(StreamClient.connect(endpoint));
                }
                long baseline = medianRoundTrip(pool, normal, 1);

                for (int i = 0; i < NEVER_READERS; i++) {
                    SocketChannel ch = SocketChannel.open();
                    ch.setOption(StandardSocketOptions.SO_RCVBUF, 64 * 1024);
                    ch.setOption(StandardSocketOptions.SO_SNDBUF, 64 * 1024);
                    ch.connect(new InetSocketAddress(endpoint.host(), endpoint.port()));
                    ch.configureBlocking(false);
                    neverReaders.add(ch);
                }
                long flooded = floodUntilAllStall(neverReaders);
                long during = medianRoundTrip(pool, normal, 2);

                assertThat(server.stats().openConnections()).isEqualTo(NORMAL + NEVER_READERS);
                assertThat(flooded).as("the never-reading clients stalled before sending all they had")
                        .isLessThan(NEVER_READERS * PER_CLIENT);
                long bound = ServerConfig.DEFAULT_WRITE_BUFFER_HIGH + 64 * 1024 + 2 * 96;
                assertThat(server.stats().largestPendingReplyBytes()).isLessThanOrEqualTo(bound);
                assertThat(server.stats().pendingReplyBytes()).isLessThanOrEqualTo(NEVER_READERS * bound);
                assertThat(during).as("median round trip with the flood (ns), baseline %d ns", baseline)
                        .isLessThanOrEqualTo(FACTOR * baseline);
                System.out.printf("never-reading clients: %d clients wrote %d bytes and stalled; server holds %d reply bytes"
                                + " for them (largest %d); median round trip %d us before, %d us during%n",
                        NEVER_READERS, flooded, server.stats().pendingReplyBytes(), server.stats().largestPendingReplyBytes(),
                        baseline / 1000, during / 1000);
            } finally {
                pool.shutdownNow();
                for (StreamClient c : normal) {
                    c.close();
                }
                for (SocketChannel ch : neverReaders) {
                    ch.close();
                }
            }
        }
    }

    /** Every normal client does its round trips at once; the median over all of them, in nanoseconds. */
    private static long medianRoundTrip(ExecutorService pool, List<StreamClient> clients, long seed) throws Exception {
        List<Future<long[]>> results = new ArrayList<>();
        for (int c = 0; c < clients.size(); c++) {
            StreamClient client = clients.get(c);
            Random random = new Random(seed * 1000 + c);
            results.add(pool.submit(() -> {
                long[] times = new long[ROUND_TRIPS];
                for (int i = 0; i < ROUND_TRIPS; i++) {
                    byte[] message = Payloads.random(random, 16, 256);
                    long t0 = System.nanoTime();
                    byte[] reply = client.exchange(message);
                    times[i] = System.nanoTime() - t0;
                    assertThat(reply).isEqualTo(Payloads.upper(message));
                }
                return times;
            }));
        }
        long[] all = new long[0];
        for (Future<long[]> f : results) {
            long[] t = f.get(60, TimeUnit.SECONDS);
            int at = all.length;
            all = Arrays.copyOf(all, at + t.length);
            System.arraycopy(t, 0, all, at, t.length);
        }
        Arrays.sort(all);
        return all[all.length / 2];
    }

    /**
     * Writes to every never-reading client until each has sent {@link #PER_CLIENT} bytes or cannot write
     * any more (the server stopped reading it and the kernel buffers are full); returns the bytes written.
     * The kernel's socket buffers take the first few MiB of each client (the server's send buffer grows to
     * 4 MiB here), so a client must send more than that before the server itself holds anything; the cap
     * only bounds the test if the server failed to stop reading.
     */
    private static long floodUntilAllStall(List<SocketChannel> clients) throws Exception {
        ByteBuffer chunk = ByteBuffer.allocateDirect(64 * 1024);
        long[] sent = new long[clients.size()];
        long total = 0;
        int quietPasses = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (quietPasses < 3) {
            assertThat(System.nanoTime()).as("the never-reading clients stall within 60 s").isLessThan(deadline);
            long pass = 0;
            for (int i = 0; i < clients.size(); i++) {
                if (sent[i] < PER_CLIENT) {
                    chunk.clear();
                    int n = clients.get(i).write(chunk);
                    sent[i] += n;
                    pass += n;
                }
            }
            total += pass;
            if (pass == 0) {
                quietPasses++;
                Thread.sleep(100);
            } else {
                quietPasses = 0;
            }
        }
        return total;
    }
}
