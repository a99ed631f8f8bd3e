package dev.jecho;

import dev.jecho.internal.transport.NettyTransport;
import dev.jecho.testing.JechoProcess;
import dev.jecho.testing.ListenerKind;
import dev.jecho.testing.Payloads;
import dev.jecho.testing.Session;
import dev.jecho.testing.StreamClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Graceful shutdown: on SIGTERM the server stops accepting at once, answers everything it had read, ends
 * every stream cleanly and exits 0 within the drain timeout; a client that never reads is cut off by the
 * hard stop, and the process still exits 0.
 */
class DrainTest {

    static final int STREAMERS = 200;
    static final Pattern SUMMARY = Pattern.compile(
            "stopped: (\\d+) of (\\d+) connections? drained in [^,]+, (every reply sent|(\\d+) closed by the hard stop with (\\d+) reply bytes unsent); (\\d+) bytes read in all");

    @Test
    void onSigtermEveryMessageReadIsAnsweredNewConnectionsAreRefusedAndTheProcessExitsZero() throws Exception {
        try (JechoProcess server = JechoProcess.start("server", "--tcp", "127.0.0.1:0", "--service", "upper",
                "--drain-timeout", "5s", "--backlog", "512", "--no-connection-log")) {
            Endpoint endpoint = server.awaitListening(1).get(0);
            List<Streamer> streamers = new ArrayList<>();
            for (int i = 0; i < STREAMERS; i++) {
                streamers.add(new Streamer(i, endpoint));
            }
            // stream until every client has had replies
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (streamers.stream().anyMatch(s -> s.received < 2000)) {
                assertThat(System.nanoTime()).as("every client gets replies within 60 s").isLessThan(deadline);
                pump(streamers);
            }

            long sigterm = System.nanoTime();
            server.terminate();
            CompletableFuture<Long> refusedAfter = CompletableFuture.supplyAsync(() -> firstRefusal(endpoint, sigterm));

            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (streamers.stream().anyMatch(s -> !s.ended)) {
                assertThat(System.nanoTime()).as("every client sees the end of its stream within 30 s").isLessThan(deadline);
                pump(streamers);
            }
            assertThat(server.waitFor(15)).as("exit code").isZero();
            long exitedAfter = System.nanoTime() - sigterm;

            assertThat(streamers).allSatisfy(s -> {
                assertThat(s.failure).as("client %d", s.id).isNull();
                assertThat(s.cleanEnd).as("client %d ended with a clean end of stream", s.id).isTrue();
            });
            assertThat(refusedAfter.get(10, TimeUnit.SECONDS)).as("ms from SIGTERM until connections are refused").isLessThan(3000);
            assertThat(exitedAfter).as("ns from SIGTERM to exit").isLessThan(TimeUnit.SECONDS.toNanos(5 + 2));

            String stderr = server.stderr();
            Matcher m = SUMMARY.matcher(stderr);
            assertThat(m.find()).as("summary line in:%n%s", stderr).isTrue();
            assertThat(m.group(3)).isEqualTo("every reply sent");
            assertThat(Integer.parseInt(m.group(1))).isEqualTo(Integer.parseInt(m.group(2))).isGreaterThanOrEqualTo(STREAMERS);
            long received = streamers.stream().mapToLong(s -> s.received).sum();
            assertThat(Long.parseLong(m.group(6))).as("bytes the server read = bytes the clients got back").isEqualTo(received);
            assertThat(stderr).doesNotContain("Exception").doesNotContain("WARN");
        }
    }

    @Test
    void aClientThatNeverReadsIsCutOffByTheHardStopAndTheProcessStillExitsZero() throws Exception {
        try (JechoProcess server = JechoProcess.start("server", "--tcp", "127.0.0.1:0", "--service", "echo",
                "--drain-timeout", "1s", "--no-connection-log")) {
            Endpoint endpoint = server.awaitListening(1).get(0);
            try (SocketChannel neverReads = SocketChannel.open();
                 StreamClient normal = StreamClient.connect(endpoint)) {
                neverReads.setOption(StandardSocketOptions.SO_RCVBUF, 32 * 1024);
                neverReads.connect(new InetSocketAddress(endpoint.host(), endpoint.port()));
                neverReads.configureBlocking(false);
                ByteBuffer chunk = ByteBuffer.allocateDirect(64 * 1024);
                long written = 0;
                int zeros = 0;
                while (zeros < 20) { // until the server stopped reading it and the buffers are full
                    chunk.clear();
                    int n = neverReads.write(chunk);
                    written += n;
                    zeros = n == 0 ? zeros + 1 : 0;
                    if (n == 0) {
                        Thread.sleep(20);
                    }
                }
                assertThat(normal.exchange("bye".getBytes())).isEqualTo("bye".getBytes());

                long sigterm = System.nanoTime();
                server.terminate();
                assertThat(normal.readsEndOfStream()).as("the reading client gets its clean end at once").isTrue();
                assertThat(server.waitFor(15)).isZero();
                assertThat(System.nanoTime() - sigterm).as("ns to exit with a 1 s drain timeout").isLessThan(TimeUnit.SECONDS.toNanos(1 + 3));
                Matcher m = SUMMARY.matcher(server.stderr());
                assertThat(m.find()).as(server.stderr()).isTrue();
                assertThat(m.group(4)).as("connections cut off by the hard stop").isEqualTo("1");
                assertThat(Long.parseLong(m.group(5))).as("their unsent reply bytes, of %d written", written).isPositive();
            }
        }
    }

    @Test
    void aSecondSignalStopsAtOnceWithoutWaitingForTheDrain() throws Exception {
        try (JechoProcess server = JechoProcess.start("server", "--tcp", "127.0.0.1:0", "--service", "echo",
                "--drain-timeout", "60s", "--no-connection-log")) {
            Endpoint endpoint = server.awaitListening(1).get(0);
            try (SocketChannel neverReads = SocketChannel.open()) {
                neverReads.setOption(StandardSocketOptions.SO_RCVBUF, 32 * 1024);
                neverReads.connect(new InetSocketAddress(endpoint.host(), endpoint.port()));
                neverReads.configureBlocking(false);
                ByteBuffer chunk = ByteBuffer.allocateDirect(64 * 1024);
                int zeros = 0;
                while (zeros < 20) {
                    chunk.clear();
                    int n = neverReads.write(chunk);
                    zeros = n == 0 ? zeros + 1 : 0;
                    if (n == 0) {
                        Thread.sleep(20);
                    }
                }
                server.terminate();
                Thread.sleep(500);
                assertThat(server.process().isAlive()).as("still draining after the first signal").isTrue();
                long second = System.nanoTime();
                server.terminate();
                assertThat(server.waitFor(15)).isZero();
                assertThat(System.nanoTime() - second).as("ns from the second signal to exit").isLessThan(TimeUnit.SECONDS.toNanos(4));
                assertThat(server.stderr()).contains("stopping at once");
                Matcher m = SUMMARY.matcher(server.stderr());
                assertThat(m.find()).as(server.stderr()).isTrue();
                assertThat(m.group(4)).isEqualTo("1");
            }
        }
    }

    @TempDir
    Path dir;

    /**
     * Every listener kind of the scenario matrix on epoll, and raw bytes over plain TCP and Unix sockets on the other
     * transports too (what differs between transports is below the framing and TLS).
     */
    static Stream<Arguments> transportsAndKinds() {
        Stream<Arguments> everyKind = ListenerKind.all().map(kind -> Arguments.of(Transport.EPOLL, kind));
        Stream<Arguments> otherTransports = Stream.of(Transport.IO_URING, Transport.NIO)
                .flatMap(t -> ListenerKind.all().filter(ListenerKind::plainRaw).map(kind -> Arguments.of(t, kind)));
        return Stream.concat(everyKind, otherTransports);
    }

    @ParameterizedTest
    @MethodSource("transportsAndKinds")
    void aHalfReadReplyIsFinishedAndEndedCleanlyOnEveryTransportAndSocketKind(Transport transport, ListenerKind kind)
            throws Exception {
        assumeTrue(transport != Transport.EPOLL || io.netty.channel.epoll.Epoll.isAvailable());
        assumeTrue(NettyTransport.available(transport), transport.cliName() + " is not available here");
        JechoServer server = kind.start(dir, options -> options.service(Service.UPPER).transport(transport).logConnections(false));
        try (Session client = kind.connect(server)) {
            byte[] message = kind.json() ? qLines(2 << 20) : new byte[4 << 20]; // JSON: each line parsed, re-serialized
            if (!kind.json()) {
                java.util.Arrays.fill(message, (byte) 'q');
            }
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    client.send(message);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            byte[] first = client.receive(1 << 20); // the server is busy answering when the stop comes
            CompletableFuture<JechoServer.StopReport> stop = CompletableFuture.supplyAsync(server::stop);
            byte[] rest = client.receiveUntilEnd();
            JechoServer.StopReport report = stop.get(15, TimeUnit.SECONDS);
            writer.get(15, TimeUnit.SECONDS);
            assertThat(report.hardClosed()).as("%s %s", transport, kind).isZero();
            byte[] answered = java.util.Arrays.copyOf(first, first.length + rest.length);
            System.arraycopy(rest, 0, answered, first.length, rest.length);
            assertThat(answered).as("the replies, in order").isEqualTo(Payloads.upper(java.util.Arrays.copyOf(message, answered.length)));
            if (kind.json()) { // every message read is answered; bytes of one not yet whole when the stop came are not
                assertThat(answered.length % QLINE.length).as("whole lines").isZero();
                assertThat(report.bytesRead() - answered.length).as("bytes read of a message not yet whole")
                        .isBetween(0L, (long) (kind.framing() == ListenerKind.Framing.AUTHENTICATED ? 65536 : QLINE.length));
            } else {
                assertThat((long) answered.length).as("every byte read is answered").isEqualTo(report.bytesRead());
            }
        } finally {
            server.close();
        }
    }

    /** A JSON line: a string of a thousand q's. */
    static final byte[] QLINE = ("\"" + "q".repeat(1000) + "\"\n").getBytes(StandardCharsets.US_ASCII);

    /** About {@code size} bytes of JSON lines. */
    private static byte[] qLines(int size) {
        byte[] lines = new byte[size / QLINE.length * QLINE.length];
        for (int at = 0; at < lines.length; at += QLINE.length) {
            System.arraycopy(QLINE, 0, lines, at, QLINE.length);
        }
        return lines;
    }

    @Test
    void stoppingWithIdleClientsTakesNoLongerThanTheQuietPeriod() throws Exception {
        JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).service(Service.UPPER).logConnections(false).start();
        try (StreamClient a = StreamClient.connect(server.boundEndpoints().get(0));
             StreamClient b = StreamClient.connect(server.boundEndpoints().get(0))) {
            assertThat(a.exchange("a".getBytes())).isEqualTo("A".getBytes());
            assertThat(b.exchange("b".getBytes())).isEqualTo("B".getBytes());
            long start = System.nanoTime();
            JechoServer.StopReport report = server.stop();
            assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(2));
            assertThat(report.connections()).isEqualTo(2);
            assertThat(report.hardClosed()).isZero();
            assertThat(report.bytesRead()).isEqualTo(2);
            assertThat(a.readsEndOfStream()).isTrue();
            assertThat(b.readsEndOfStream()).isTrue();
            assertThat(server.stopReport()).isSameAs(report);
            assertThat(server.stop()).as("a second stop waits for the first").isSameAs(report);
        }
    }

    @Test
    void aZeroDrainTimeoutClosesEverythingAtOnce() throws Exception {
        JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).drainTimeout(Duration.ZERO).logConnections(false).start();
        try (StreamClient a = StreamClient.connect(server.boundEndpoints().get(0))) {
            assertThat(a.exchange("a".getBytes())).isEqualTo("A".getBytes());
            JechoServer.StopReport report = server.stop();
            assertThat(report.connections()).isEqualTo(1);
            assertThat(report.hardClosed()).isEqualTo(1);
            assertThat(a.readsEndOfStream()).isTrue();
        }
    }

    /** Connects until refused; returns milliseconds from the SIGTERM to the first refusal. */
    private static long firstRefusal(Endpoint endpoint, long sigterm) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (SocketChannel probe = SocketChannel.open(new InetSocketAddress(endpoint.host(), endpoint.port()))) {
                probe.close(); // accepted before the listener closed: it is drained like the others
            } catch (ConnectException refused) {
                return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sigterm);
            } catch (IOException other) {
                // reset while the listener closes: try again
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Long.MAX_VALUE;
            }
        }
        return Long.MAX_VALUE;
    }

    /** Moves every client one step: write what the window allows, read and check what came back. */
    private static void pump(List<Streamer> streamers) throws InterruptedException {
        boolean progress = false;
        for (Streamer s : streamers) {
            progress |= s.step();
        }
        if (!progress) {
            Thread.sleep(1);
        }
    }

    /**
     * A non-blocking client streaming numbered messages, at most 16 KiB ahead of its replies; checks every
     * reply byte against what it sent, in order.
     */
    static final class Streamer {
        static final int WINDOW = 16 * 1024;
        final int id;
        final SocketChannel ch;
        final ByteBuffer unanswered = ByteBuffer.allocate(WINDOW + 256);
        final ByteBuffer in = ByteBuffer.allocate(8192);
        ByteBuffer out = ByteBuffer.allocate(0);
        long seq;
        long received;
        boolean ended;
        boolean cleanEnd;
        String failure;

        Streamer(int id, Endpoint endpoint) throws IOException {
            this.id = id;
            this.ch = SocketChannel.open(new InetSocketAddress(endpoint.host(), endpoint.port()));
            ch.configureBlocking(false);
        }

        boolean step() {
            if (ended) {
                return false;
            }
            boolean progress = false;
            try {
                if (!out.hasRemaining() && unanswered.position() < WINDOW) {
                    out = ByteBuffer.wrap(("client " + id + " message " + seq++ + "\n").getBytes(StandardCharsets.US_ASCII));
                }
                if (out.hasRemaining() && unanswered.remaining() >= out.remaining()) {
                    int from = out.position();
                    int n = ch.write(out);
                    unanswered.put(out.array(), from, n);
                    progress = n > 0;
                }
            } catch (IOException afterEnd) {
                // the server may have finished with us; the read side tells how it ended
            }
            try {
                int n = ch.read(in);
                if (n < 0) {
                    ended = true;
                    cleanEnd = true;
                    ch.close();
                    return true;
                }
                if (n > 0) {
                    check();
                    progress = true;
                }
            } catch (IOException e) {
                ended = true;
                failure = "read failed after " + received + " bytes: " + e;
                closeQuietly();
            }
            return progress;
        }

        private void check() {
            in.flip();
            unanswered.flip();
            while (in.hasRemaining()) {
                byte got = in.get();
                byte sent = unanswered.get();
                byte expected = sent >= 'a' && sent <= 'z' ? (byte) (sent - 32) : sent;
                if (got != expected && failure == null) {
                    failure = "byte " + received + " is '" + (char) got + "', expected '" + (char) expected + "'";
                }
                received++;
            }
            unanswered.compact();
            in.clear();
        }

        private void closeQuietly() {
            try {
                ch.close();
            } catch (IOException ignored) {
                // already failed; the failure is recorded
            }
        }
    }
}
