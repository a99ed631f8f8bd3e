package dev.jecho;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each datagram fault over loopback, measured against what was injected: a burst of numbered datagrams goes out
 * at once, the replies are collected, and what came back (which numbers, how often, in what order, how long) is
 * compared with the fault. Prints {@code FAULT <spec> | injected ... | measured ...}.
 */
@Timeout(60)
class DatagramFaultsTest {

    static JechoServer server(long seed, String... faults) throws ListenerException {
        ServerConfig.Builder b = JechoServer.builder().udp("127.0.0.1", 0).service(Service.ECHO).udpRateLimit(0, 0).faultSeed(seed);
        for (String f : faults) {
            b.fault(Fault.parse(f));
        }
        return b.start();
    }

    /** A reply: the number of the datagram it answers, its size, and when it came (ms after the first was sent). */
    record Reply(int seq, int size, long atMs) {
    }

    /**
     * Sends {@code n} datagrams of {@code size} bytes numbered 0.., in windows of {@code window}, each after the
     * replies to the one before have stopped coming for {@code quietMs}: a burst larger than a receive buffer would
     * lose datagrams to the kernel (on a busy machine), not to the fault. A thread of its own collects the replies.
     */
    static List<Reply> exchange(JechoServer server, int n, int window, int size, long quietMs) throws Exception {
        Endpoint e = server.boundEndpoints().get(0);
        java.util.concurrent.BlockingQueue<Reply> arriving = new java.util.concurrent.LinkedBlockingQueue<>();
        List<Reply> replies = new ArrayList<>();
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            socket.setReceiveBufferSize(1 << 20);
            socket.connect(new InetSocketAddress(e.host(), e.port()));
            long t0 = System.nanoTime();
            Thread receiver = new Thread(() -> {
                byte[] buf = new byte[65536];
                while (true) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    try {
                        socket.receive(p);
                    } catch (IOException closed) {
                        return;
                    }
                    int seq = p.getLength() >= 4 ? ByteBuffer.wrap(buf, 0, 4).getInt() : -1;
                    arriving.add(new Reply(seq, p.getLength(), (System.nanoTime() - t0) / 1_000_000));
                }
            }, "datagram-replies");
            receiver.start();
            for (int i = 0; i < n; i++) {
                byte[] b = new byte[size];
                ByteBuffer.wrap(b).putInt(i);
                socket.send(new DatagramPacket(b, b.length));
                if (i % window == window - 1 || i == n - 1) {
                    long quiet = i == n - 1 ? Math.max(quietMs, 300) : quietMs; // the last replies held back come too
                    Reply r;
                    while ((r = arriving.poll(quiet, java.util.concurrent.TimeUnit.MILLISECONDS)) != null) {
                        replies.add(r);
                    }
                }
            }
        }
        return replies;
    }

    static List<Reply> exchange(JechoServer server, int n, int size, long quietMs) throws Exception {
        return exchange(server, n, 20, size, quietMs);
    }

    static void report(String spec, String injected, String measured) {
        System.out.printf(Locale.ROOT, "FAULT %-32s | injected %-26s | measured %s%n", spec, injected, measured);
    }

    private static TreeSet<Integer> lost(List<Reply> replies, int n) {
        TreeSet<Integer> lost = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            lost.add(i);
        }
        replies.forEach(r -> lost.remove(r.seq()));
        return lost;
    }

    @Test
    void lossInBurstsLosesTheFractionInRunsOfTheBurstLength() throws Exception {
        String spec = "loss=0.2,burst=5";
        int n = 1000;
        try (JechoServer server = server(5, spec)) {
            TreeSet<Integer> lost = lost(exchange(server, n, 16, 30), n);
            List<Integer> runs = new ArrayList<>();
            int run = 0;
            for (int i = 0; i <= n; i++) {
                if (lost.contains(i)) {
                    run++;
                } else if (run > 0) {
                    runs.add(run);
                    run = 0;
                }
            }
            double meanRun = runs.stream().mapToInt(Integer::intValue).average().orElse(0);
            report(spec, "20% lost, in runs of 5", String.format(Locale.ROOT, "%.1f%% lost (%d of %d), mean run %.2f",
                    100.0 * lost.size() / n, lost.size(), n, meanRun));
            // Losses come only from the fault (loopback, a 1 MiB receive buffer, no rate limit); the seed fixes them.
            assertThat(lost.size()).isBetween(120, 280);
            assertThat(meanRun).as("back-to-back bursts merge into longer runs, never shorter ones").isBetween(5.0, 7.0);
        }
    }

    @Test
    void theSameSeedLosesTheSameDatagrams() throws Exception {
        int n = 300;
        TreeSet<Integer> first;
        try (JechoServer server = server(9, "loss=0.3")) {
            first = lost(exchange(server, n, 16, 30), n);
        }
        try (JechoServer server = server(9, "loss=0.3")) {
            assertThat(lost(exchange(server, n, 16, 30), n)).isEqualTo(first);
        }
        try (JechoServer server = server(10, "loss=0.3")) {
            assertThat(lost(exchange(server, n, 16, 30), n)).isNotEqualTo(first);
        }
    }

    @Test
    void duplicateSendsAFractionOfRepliesTwice() throws Exception {
        String spec = "duplicate=0.25";
        int n = 1000;
        try (JechoServer server = server(5, spec)) {
            List<Reply> replies = exchange(server, n, 16, 30);
            long distinct = replies.stream().mapToInt(Reply::seq).distinct().count();
            int duplicates = replies.size() - (int) distinct;
            report(spec, "25% of replies twice", String.format(Locale.ROOT, "%.1f%% twice (%d of %d)", 100.0 * duplicates / n, duplicates, n));
            assertThat(distinct).isEqualTo(n);
            assertThat(duplicates).isBetween(170, 330);
        }
    }

    @Test
    void reorderHoldsAFractionBackSoLaterRepliesOvertakeThem() throws Exception {
        String spec = "reorder=0.2,delay=50ms";
        int n = 500;
        try (JechoServer server = server(5, spec)) {
            List<Reply> replies = exchange(server, n, 16, 30);
            int late = 0;
            int highest = -1;
            for (Reply r : replies) {
                if (r.seq() < highest) {
                    late++; // came after the reply to a later datagram
                }
                highest = Math.max(highest, r.seq());
            }
            report(spec, "20% held back 50 ms", String.format(Locale.ROOT, "%.1f%% overtaken (%d of %d)", 100.0 * late / n, late, n));
            assertThat(replies).hasSize(n);
            assertThat(late).isBetween(60, 140);
        }
    }

    @Test
    void delayHoldsEveryReplyTheDelayPlusOrMinusTheJitter() throws Exception {
        String spec = "delay=100ms,jitter=20ms";
        try (JechoServer server = server(5, spec)) {
            List<Reply> replies = exchange(server, 50, 50, 16, 500);
            long[] at = replies.stream().mapToLong(Reply::atMs).sorted().toArray();
            report(spec, "100 ms ± 20 ms", "first " + at[0] + " ms, median " + at[at.length / 2] + " ms, last " + at[at.length - 1] + " ms");
            assertThat(replies).hasSize(50);
            assertThat(at[0]).isGreaterThanOrEqualTo(78);
            assertThat(at[at.length / 2]).isBetween(85L, 250L);
        }
    }

    @Test
    void truncateCutsRepliesToTheLength() throws Exception {
        String spec = "truncate=16";
        try (JechoServer server = server(5, spec)) {
            List<Reply> replies = exchange(server, 10, 100, 300);
            report(spec, "100-byte replies cut to 16", replies.size() + " replies of " + replies.stream().mapToInt(Reply::size).max().orElse(0) + " bytes");
            assertThat(replies).hasSize(10).allMatch(r -> r.size() == 16);
            List<Reply> small = exchange(server, 3, 8, 300);
            assertThat(small).as("shorter ones pass whole").allMatch(r -> r.size() == 8);
        }
    }

    @Test
    void faultsComeAndGoLive() throws Exception {
        try (JechoServer server = server(5)) {
            assertThat(exchange(server, 20, 16, 100)).hasSize(20);
            server.faults().add("loss=1");
            assertThat(exchange(server, 20, 16, 100)).isEmpty();
            server.faults().clear();
            assertThat(exchange(server, 20, 16, 100)).hasSize(20);
        }
    }
}
