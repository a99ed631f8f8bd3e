package dev.jecho;

import dev.jecho.testing.StreamClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Echo's two siblings from the inetd family over real loopback sockets: discard (RFC 863) on TCP, a Unix
 * socket and UDP, nothing ever coming back; chargen (RFC 864) on TCP and a Unix socket, its lines from
 * connect, stopped by the client's close, bounded by a client that does not read, and refused on UDP; and a
 * line service of one's own, one factory call.
 */
class InetdServicesTest {

    @TempDir
    Path dir;

    private static ServerConfig.Builder server(Service service) {
        return JechoServer.builder().service(service).logConnections(false);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() < deadline).as("within 20 s: %s", what).isTrue();
            Thread.sleep(10);
        }
    }

    /** RFC 864's pattern, from the RFC: line n holds the 72 printable characters from the n-th on, then CRLF. */
    private static byte[] rfc864(int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            int column = i % 74;
            out[i] = column == 72 ? (byte) '\r' : column == 73 ? (byte) '\n' : (byte) (32 + (i / 74 + column) % 95);
        }
        return out;
    }

    @Test
    void discardTakesEverythingOverTcpAndAUnixSocketAndSendsNothingBack() throws Exception {
        try (JechoServer server = server(Service.DISCARD).tcp("127.0.0.1", 0).unix(dir.resolve("discard.sock")).start()) {
            long read = 0;
            for (Endpoint at : server.boundEndpoints()) {
                try (StreamClient client = StreamClient.connect(at)) {
                    byte[] chunk = new byte[64 * 1024];
                    for (int i = 0; i < 16; i++) {
                        client.write(chunk);
                    }
                    client.channel().shutdownOutput(); // done: the server closes, having sent nothing
                    assertThat(client.readUntilClosed(Duration.ofSeconds(20))).as("%s: bytes back", at).isZero();
                    read += 16L * chunk.length;
                }
            }
            long all = read;
            await("both connections closed, every byte read", () -> server.stats().openConnections() == 0
                    && server.stats().bytesReadByClosedConnections() == all);
        }
    }

    @Test
    void discardTakesDatagramsAndAnswersNone() throws Exception {
        try (JechoServer server = server(Service.DISCARD).udp("127.0.0.1", 0).start();
             DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", server.boundEndpoints().get(0).port());
            socket.setSoTimeout(300);
            for (String text : List.of("hello", "", "x".repeat(1400))) {
                byte[] b = text.getBytes(StandardCharsets.US_ASCII);
                socket.send(new DatagramPacket(b, b.length, to));
            }
            await("three datagrams received", () -> server.stats().datagramsReceived() == 3);
            assertThatThrownBy(() -> socket.receive(new DatagramPacket(new byte[2048], 2048)))
                    .as("no reply, not even to the empty datagram").isInstanceOf(SocketTimeoutException.class);
            assertThat(server.stats().datagramsDropped()).isZero();
        }
    }

    @Test
    void chargenSendsTheRfc864LinesFromConnectOverTcpAndAUnixSocketAndStopsAtTheClientsClose() throws Exception {
        try (JechoServer server = server(Service.CHARGEN).tcp("127.0.0.1", 0).unix(dir.resolve("chargen.sock")).start()) {
            for (Endpoint at : server.boundEndpoints()) {
                try (StreamClient client = StreamClient.connect(at)) {
                    client.write("input is thrown away\n".getBytes(StandardCharsets.US_ASCII));
                    assertThat(client.read(74 * 300)).as("%s", at).isEqualTo(rfc864(74 * 300));
                }
                await(at + ": the server's side closed too", () -> server.stats().openConnections() == 0);
            }
        }
    }

    @Test
    void chargenOnlyListensOnTcpByDefaultAndIsRefusedOnUdpNamingTheCve() {
        ServerConfig tcpOnly = JechoServer.builder().service(Service.CHARGEN).build();
        assertThat(tcpOnly.listeners()).extracting(Endpoint::kind).containsExactly(Endpoint.Kind.TCP);
        assertThat(JechoServer.builder().service(Service.DISCARD).build().listeners()).extracting(Endpoint::kind)
                .containsExactly(Endpoint.Kind.TCP, Endpoint.Kind.UDP);

        assertThatThrownBy(() -> JechoServer.builder().service(Service.CHARGEN).tcp("127.0.0.1", 0).udp("127.0.0.1", 0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("service chargen does not run on UDP (udp://127.0.0.1:0): a spoofed datagram would make it send"
                        + " to a victim who asked for nothing, the textbook amplifier (CVE-1999-0103); listen on TCP or a Unix socket");
        assertThatThrownBy(() -> JechoServer.builder().service(Service.DISCARD).json(true).build())
                .hasMessage("service discard does not answer JSON messages (it answers nothing): leave out --json"
                        + " (and --legacy-auth, which speaks JSON)");
        assertThatThrownBy(() -> JechoServer.builder().service(Service.CHARGEN).json(true).build())
                .hasMessage("service chargen does not answer JSON messages (it sends without being asked): leave out --json"
                        + " (and --legacy-auth, which speaks JSON)");
    }

    /**
     * A client that connects and never reads: chargen writes only while the connection is writable, so the
     * server holds at most the write high-water mark plus a chunk for it (the kernel's buffers hold the rest),
     * and the slow-client timeout closes it.
     */
    @Test
    void aChargenClientThatDoesNotReadCostsTheServerAtMostTheHighWaterMarkAndIsClosedWhenItsTimeIsUp() throws Exception {
        try (JechoServer server = server(Service.CHARGEN).tcp("127.0.0.1", 0).slowClientTimeout(Duration.ofSeconds(2)).start();
             StreamClient client = StreamClient.connect(server.boundEndpoints().get(0))) {
            await("the server has filled the socket and queued replies", () -> server.stats().pendingReplyBytes() > 0);
            long bound = ServerConfig.DEFAULT_WRITE_BUFFER_HIGH + 16 * 1024 + 2 * 96;
            long most = 0;
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
            while (System.nanoTime() < until && server.stats().openConnections() == 1) {
                most = Math.max(most, server.stats().largestPendingReplyBytes());
                Thread.sleep(5);
            }
            assertThat(most).as("bytes queued for a client that does not read").isPositive().isLessThanOrEqualTo(bound);
            await("closed by the slow-client timeout", () -> server.stats().timedOutConnections(ServerStats.Timeout.SLOW_CLIENT) == 1);
            assertThat(client.readUntilClosed(Duration.ofSeconds(20))).as("what the kernel held arrives, then the end").isPositive();
        }
    }

    /** A stop drains chargen as any other service: its output stops, what was sent arrives, then the end. */
    @Test
    void stoppingTheServerEndsAChargenStreamCleanlyWhileTheClientReads() throws Exception {
        JechoServer server = server(Service.CHARGEN).tcp("127.0.0.1", 0).drainTimeout(Duration.ofSeconds(10)).start();
        try (StreamClient client = StreamClient.connect(server.boundEndpoints().get(0))) {
            assertThat(client.read(74 * 10)).isEqualTo(rfc864(74 * 10));
            java.util.concurrent.CompletableFuture<Long> rest = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return client.readUntilClosed(Duration.ofSeconds(20));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            JechoServer.StopReport report = server.stop();
            assertThat(report.connections()).isEqualTo(1);
            assertThat(report.hardClosed()).as("drained, not cut off by the hard stop").isZero();
            assertThat(rest.get(20, TimeUnit.SECONDS)).as("the rest of what it sent, then the end of stream").isPositive();
        } finally {
            server.close();
        }
    }

    @Test
    void aLineServiceOfOnesOwnIsOneFactoryCallAndOneBuilderCall() throws Exception {
        Service reverse = Service.lines("reverse", line -> new StringBuilder(line).reverse().toString());
        try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).udp("127.0.0.1", 0).service(reverse)
                .logConnections(false).start()) {
            Endpoint tcp = server.boundEndpoints().get(0);
            try (StreamClient raw = StreamClient.connect(tcp)) {
                raw.write("hello\r\nwo".getBytes(StandardCharsets.UTF_8));
                raw.write("rld\n".getBytes(StandardCharsets.UTF_8));
                assertThat(new String(raw.read(13), StandardCharsets.UTF_8)).isEqualTo("olleh\r\ndlrow\n");
            }
            for (Endpoint at : server.boundEndpoints()) {
                try (JechoClient client = ClientConfig.builder(at).expect(reverse).connect()) {
                    assertThat(client.exchange("stressed".getBytes(StandardCharsets.UTF_8))).as("%s", at)
                            .isEqualTo("desserts".getBytes(StandardCharsets.UTF_8));
                }
            }
        }
    }

    @Test
    void aClientToldToExpectAServiceThatSendsNothingBackIsRefusedWithWhatToUseInstead() {
        Endpoint at = Endpoint.tcp("127.0.0.1", 9);
        assertThatThrownBy(() -> ClientConfig.builder(at).expect(Service.DISCARD).build())
                .hasMessage("discard answers nothing, so there is no reply to wait for (send to it with nc, or measure it"
                        + " with jecho bench --mode upload)");
        assertThatThrownBy(() -> ClientConfig.builder(at).expect(Service.CHARGEN).build())
                .hasMessage("chargen sends without being asked, and a client prints replies (read it with nc, or measure it"
                        + " with jecho bench --mode download)");
    }

    /** Without --expect, a client against chargen names what it met, whether or not it had sent first. */
    @Test
    void aClientAgainstChargenIsToldWhatItMet() throws Exception {
        try (JechoServer server = server(Service.CHARGEN).tcp("127.0.0.1", 0).start()) {
            Endpoint tcp = server.boundEndpoints().get(0);
            for (int run = 0; run < 5; run++) {
                try (JechoClient client = ClientConfig.builder(tcp).timeout(Duration.ofSeconds(20)).connect()) {
                    assertThatThrownBy(() -> client.exchange("hi".getBytes(StandardCharsets.US_ASCII)))
                            .isInstanceOf(ClientException.class)
                            .hasMessage(tcp + " sends without being asked, as a chargen server does; jecho client prints"
                                    + " replies (read it with nc, or measure it with jecho bench --mode download)")
                            .extracting(e -> ((ClientException) e).reason()).isEqualTo(ClientException.Reason.AUTH);
                }
            }
        }
    }

    /** What a chunk of chargen's stream looks like to an independent reader: a check of the check above. */
    @Test
    void theReferencePatternIsTheRfcs() {
        String first = new String(rfc864(74), StandardCharsets.US_ASCII);
        assertThat(first).isEqualTo(" !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefg\r\n");
        ByteBuffer b = ByteBuffer.allocate(74 * 96);
        Service.CHARGEN.output().fill(0, b);
        assertThat(b.array()).isEqualTo(rfc864(74 * 96));
    }
}
