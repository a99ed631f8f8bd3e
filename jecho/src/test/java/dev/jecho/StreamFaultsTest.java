package dev.jecho;

import dev.jecho.testing.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Each stream fault over loopback, measured against what was injected. Bounds are generous (a slow, shared machine
 * adds delay, never removes it): a lower bound near the injected figure, an upper bound with room. Each test prints
 * its figures as {@code FAULT <spec> | injected ... | measured ...}.
 */
@Timeout(60)
class StreamFaultsTest {

    static JechoServer server(long seed, String... faults) throws ListenerException {
        ServerConfig.Builder b = JechoServer.builder().tcp("127.0.0.1", 0).service(Service.ECHO).faultSeed(seed);
        for (String f : faults) {
            b.fault(Fault.parse(f));
        }
        return b.start();
    }

    static Socket connect(JechoServer server) throws IOException {
        Endpoint e = server.boundEndpoints().get(0);
        Socket s = new Socket(e.host(), e.port());
        s.setTcpNoDelay(true);
        s.setSoTimeout(5000);
        return s;
    }

    static void report(String spec, String injected, String measured) {
        System.out.printf(Locale.ROOT, "FAULT %-32s | injected %-26s | measured %s%n", spec, injected, measured);
    }

    static byte[] payload(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ('a' + i % 26);
        }
        return b;
    }

    /** Reads until the end of stream, a timeout or an error; what arrived, and how it ended. */
    record Received(byte[] bytes, Exception end) {
    }

    static Received readAll(Socket s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            InputStream in = s.getInputStream();
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
            }
            return new Received(out.toByteArray(), null);
        } catch (IOException e) {
            return new Received(out.toByteArray(), e);
        }
    }

    @Test
    void latencyDelaysEachReplyByTheLatencyPlusOrMinusTheJitter() throws Exception {
        String spec = "latency=100ms,jitter=20ms";
        try (JechoServer server = server(1, spec); Socket s = connect(server)) {
            long[] rtt = new long[10];
            for (int i = 0; i < rtt.length; i++) {
                long t0 = System.nanoTime();
                s.getOutputStream().write('x');
                assertThat(s.getInputStream().read()).isEqualTo('x');
                rtt[i] = (System.nanoTime() - t0) / 1_000_000;
            }
            Arrays.sort(rtt);
            report(spec, "100 ms ± 20 ms a reply", "min " + rtt[0] + " ms, p50 " + rtt[5] + " ms, max " + rtt[9] + " ms (10 round trips)");
            assertThat(rtt[0]).as("no reply before latency - jitter").isGreaterThanOrEqualTo(78);
            assertThat(rtt[5]).as("the median near the latency (generous: a busy machine adds)").isLessThan(220);
        }
    }

    @Test
    void bandwidthPacesTheReplies() throws Exception {
        String spec = "bandwidth=100KiB";
        int size = 150 * 1024;
        try (JechoServer server = server(1, spec); Socket s = connect(server)) {
            long t0 = System.nanoTime();
            Thread writer = new Thread(() -> {
                try {
                    s.getOutputStream().write(payload(size));
                    s.shutdownOutput();
                } catch (IOException ignored) {
                    // the reader says what went wrong
                }
            });
            writer.start();
            Received r = readAll(s);
            double seconds = (System.nanoTime() - t0) / 1e9;
            writer.join();
            assertThat(r.end()).isNull();
            assertThat(r.bytes()).isEqualTo(payload(size));
            report(spec, "102400 bytes/s", String.format(Locale.ROOT, "%.0f bytes/s (%d bytes in %.2f s)", size / seconds, size, seconds));
            assertThat(seconds).as("150 KiB at 100 KiB/s takes 1.5 s").isBetween(1.4, 6.0);
        }
    }

    @Test
    void sliceCutsRepliesIntoSmallPiecesWithADelayBetween() throws Exception {
        String spec = "slice=10-20,delay=20ms";
        try (JechoServer server = server(1, spec); Socket s = connect(server)) {
            byte[] sent = payload(200);
            long t0 = System.nanoTime();
            s.getOutputStream().write(sent);
            List<Integer> reads = new ArrayList<>();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[1024];
            while (got.size() < sent.length) {
                int n = s.getInputStream().read(buf);
                assertThat(n).isPositive();
                reads.add(n);
                got.write(buf, 0, n);
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(got.toByteArray()).isEqualTo(sent);
            report(spec, "pieces of 10-20 bytes, 20 ms apart", reads.size() + " reads of " + reads.stream().mapToInt(i -> i).min().orElse(0)
                    + "-" + reads.stream().mapToInt(i -> i).max().orElse(0) + " bytes over " + ms + " ms");
            // 200 bytes in pieces of at most 20: at least 10 pieces, 9 gaps of 20 ms. A descheduled reader may see two
            // pieces as one read, so the reads are counted loosely; the time is not.
            assertThat(ms).isGreaterThanOrEqualTo(170);
            assertThat(reads.size()).isGreaterThanOrEqualTo(5);
        }
    }

    @Test
    void stallPassesTheFirstBytesThenNothingAndKeepsTheConnectionOpen() throws Exception {
        String spec = "stall=1KiB";
        try (LogCapture log = LogCapture.start(); JechoServer server = server(1, spec)) {
            try (Socket s = connect(server)) {
                s.setSoTimeout(1000);
                s.getOutputStream().write(payload(4096));
                Received r = readAll(s);
                report(spec, "1024 bytes, then silence", r.bytes().length + " bytes, then " + r.end().getClass().getSimpleName());
                assertThat(r.bytes()).isEqualTo(payload(1024));
                assertThat(r.end()).isInstanceOf(SocketTimeoutException.class);
                s.getOutputStream().write(payload(10)); // still open: the server still reads, and still says nothing
                assertThat(server.stats().openConnections()).isEqualTo(1);
                assertThat(server.connections().get(10, java.util.concurrent.TimeUnit.SECONDS))
                        .as("its /connections row says which faults it meets")
                        .singleElement().extracting(ConnectionInfo::faults).isEqualTo("stall=1KiB");
            }
            assertThat(log.awaitLine(l -> l.contains(" closed after "), Duration.ofSeconds(10)))
                    .as("the close line says which faults the connection met").endsWith("; faults: stall=1KiB)");
        }
    }

    @Test
    void closeAfterEndsTheStreamCleanlyAfterTheBytes() throws Exception {
        String spec = "close-after=1KiB";
        try (JechoServer server = server(1, spec); Socket s = connect(server)) {
            s.getOutputStream().write(payload(4096));
            Received r = readAll(s);
            report(spec, "1024 bytes, then FIN", r.bytes().length + " bytes, then " + (r.end() == null ? "end of stream" : r.end().toString()));
            assertThat(r.end()).isNull();
            assertThat(r.bytes()).isEqualTo(payload(1024));
        }
    }

    @Test
    void closeAfterATimeEndsTheStreamThen() throws Exception {
        String spec = "close-after=300ms";
        try (JechoServer server = server(1, spec); Socket s = connect(server)) {
            long t0 = System.nanoTime();
            Received r = readAll(s);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            report(spec, "FIN at 300 ms", "end of stream at " + ms + " ms");
            assertThat(r.end()).isNull();
            assertThat(ms).isBetween(250L, 3000L);
        }
    }

    @Test
    void resetAfterResetsTheConnectionAfterTheBytes() throws Exception {
        String spec = "reset-after=1KiB";
        try (JechoServer server = server(1, spec); Socket s = connect(server)) {
            s.getOutputStream().write(payload(4096));
            Received r = readAll(s);
            report(spec, "at most 1024 bytes, then RST", r.bytes().length + " bytes, then " + r.end());
            assertThat(r.end()).isInstanceOf(SocketException.class).hasMessageContaining("reset");
            assertThat(r.bytes().length).isLessThanOrEqualTo(1024);
        }
    }

    @Test
    void slowCloseHoldsTheServersFinBack() throws Exception {
        String spec = "slow-close=500ms";
        try (JechoServer server = server(1, spec); Socket s = connect(server)) {
            s.getOutputStream().write('x');
            long t0 = System.nanoTime();
            s.shutdownOutput(); // the server answers and closes: that close is held back
            Received r = readAll(s);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            report(spec, "FIN 500 ms late", "end of stream " + ms + " ms after the client's");
            assertThat(r.bytes()).containsExactly('x');
            assertThat(r.end()).isNull();
            assertThat(ms).isBetween(480L, 5000L);
        }
    }

    @Test
    void refuseClosesAtAcceptBeforeAByte() throws Exception {
        String spec = "refuse";
        try (JechoServer server = server(1, spec); Socket s = connect(server)) {
            Received r = readAll(s);
            report(spec, "closed at accept", r.bytes().length + " bytes, then " + (r.end() == null ? "end of stream" : r.end().toString()));
            assertThat(r.bytes()).isEmpty();
        }
    }

    @Test
    void toxicityIsTheFractionOfConnectionsThatMeetAFault() throws Exception {
        String spec = "refuse,toxicity=0.3";
        int n = 100;
        try (JechoServer server = server(3, spec)) {
            int refused = 0;
            for (int i = 0; i < n; i++) {
                try (Socket s = connect(server)) {
                    if (!echoes(s)) {
                        refused++;
                    }
                }
            }
            // Each connection draws from its own generator: this is a binomial(100, 0.3), so 30 ± 4.6 (its spread); the
            // seed fixes it, and the bounds hold for any seed but the rarest.
            report(spec, "30% of connections", refused + "% of " + n + " connections");
            assertThat(refused).isBetween(15, 45);
        }
    }

    /** Whether the server echoes a byte on this connection (not: it was refused). */
    static boolean echoes(Socket s) {
        try {
            s.getOutputStream().write('e');
            return s.getInputStream().read() == 'e';
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void corruptFlipsOneBitEveryNBytes() throws Exception {
        String spec = "corrupt=100";
        byte[] sent = payload(10_000);
        try (JechoServer server = server(1, spec); Socket s = connect(server)) {
            s.getOutputStream().write(sent);
            s.shutdownOutput();
            Received r = readAll(s);
            assertThat(r.bytes()).hasSize(sent.length);
            List<Integer> flipped = new ArrayList<>();
            for (int i = 0; i < sent.length; i++) {
                int x = (sent[i] ^ r.bytes()[i]) & 0xff;
                if (x != 0) {
                    assertThat(Integer.bitCount(x)).as("one bit at byte %d", i).isEqualTo(1);
                    flipped.add(i);
                }
            }
            report(spec, "1 bit every 100 bytes", flipped.size() + " bits flipped in " + sent.length + " bytes");
            assertThat(flipped).hasSize(100);
            assertThat(flipped).allMatch(i -> i % 100 == 99);
        }
    }

    @Test
    void theSameSeedMeetsTheSameFaultsInTheSameOrder() throws Exception {
        String[] faults = {"refuse,toxicity=0.4", "corrupt=37", "slice=1-64"};
        List<String> first = scenario(77, faults);
        List<String> second = scenario(77, faults);
        List<String> otherSeed = scenario(78, faults);
        System.out.println("FAULT seed 77, connections: " + first);
        assertThat(second).as("same seed, same faults in the same order").isEqualTo(first);
        assertThat(otherSeed).as("another seed, other faults").isNotEqualTo(first);
        assertThat(first).contains("refused").anyMatch(c -> !c.equals("refused"));
    }

    /** Twelve connections one after the other, each sending the same bytes; what each met. */
    private static List<String> scenario(long seed, String... faults) throws Exception {
        List<String> seen = new ArrayList<>();
        byte[] sent = payload(500);
        try (JechoServer server = server(seed, faults)) {
            for (int i = 0; i < 12; i++) {
                try (Socket s = connect(server)) {
                    try {
                        s.getOutputStream().write(sent);
                        s.shutdownOutput();
                    } catch (IOException refused) {
                        // refused before we wrote
                    }
                    Received r = readAll(s);
                    seen.add(r.bytes().length == 0 ? "refused" : diff(sent, r.bytes()));
                }
            }
        }
        return seen;
    }

    private static String diff(byte[] sent, byte[] got) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(sent.length, got.length); i++) {
            if (sent[i] != got[i]) {
                sb.append(i).append(':').append(Integer.toHexString((sent[i] ^ got[i]) & 0xff)).append(' ');
            }
        }
        return sb.toString().trim();
    }

    @Test
    void upstreamFaultsActOnTheRequests() throws Exception {
        String spec = "close-after=100,stream=up";
        try (JechoServer server = server(1, spec); Socket s = connect(server)) {
            s.getOutputStream().write(payload(100));
            Received r = readAll(s);
            report(spec, "the first 100 request bytes, then FIN", r.bytes().length + " bytes echoed, then " + (r.end() == null ? "end of stream" : r.end()));
            assertThat(r.bytes()).isEqualTo(payload(100));
            assertThat(r.end()).isNull();
        }
    }

    @Test
    void aFaultAddedLiveMeetsTheNextConnection() throws Exception {
        try (JechoServer server = server(1)) {
            try (Socket s = connect(server)) {
                s.getOutputStream().write("hi".getBytes(StandardCharsets.US_ASCII));
                assertThat(s.getInputStream().readNBytes(2)).isEqualTo("hi".getBytes(StandardCharsets.US_ASCII));
            }
            server.faults().add("refuse");
            assertThat(server.faults().list()).extracting(Fault::toString).containsExactly("refuse");
            try (Socket s = connect(server)) {
                assertThat(readAll(s).bytes()).isEmpty();
            }
            assertThat(server.faults().remove("refuse")).isTrue();
            try (Socket s = connect(server)) {
                s.getOutputStream().write('y');
                assertThat(s.getInputStream().read()).isEqualTo('y');
            }
        }
        assertThatThrownBy(() -> Fault.parse("nope")).hasMessageStartingWith("fault 'nope': unknown fault 'nope'");
    }

    @Test
    void streamFaultsActOnUnixSocketsToo(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path path = dir.resolve("faulty.sock");
        try (JechoServer server = JechoServer.builder().unix(path).service(Service.ECHO).faultSeed(1)
                .fault(Fault.parse("latency=100ms")).fault(Fault.parse("reset-after=3")).start();
             java.nio.channels.SocketChannel ch = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(path))) {
            long t0 = System.nanoTime();
            ch.write(java.nio.ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)));
            java.nio.ByteBuffer got = java.nio.ByteBuffer.allocate(16);
            int n;
            while ((n = ch.read(got)) > 0) {
                // until the end (a Unix socket has no reset: reset-after just closes)
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            report("latency=100ms + reset-after=3 (unix)", "3 bytes, 100 ms late, then closed", got.position() + " bytes after " + ms + " ms, then " + (n < 0 ? "end of stream" : "?"));
            assertThat(got.position()).isEqualTo(3);
            assertThat(ms).isGreaterThanOrEqualTo(95);
        }
    }
}
