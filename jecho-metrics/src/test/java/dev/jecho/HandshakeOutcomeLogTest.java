package dev.jecho;

import dev.jecho.internal.keys.SharedKey;
import dev.jecho.internal.protocol.handshake.HandshakeFormat;
import dev.jecho.testing.LogCapture;
import dev.jecho.testing.Metered;
import dev.jecho.testing.Scrape;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/protocol.md's handshake reasons, as a real server logs and counts them: a client that hangs up in the
 * middle of its auth message is {@code truncated}, one that sends nothing in time is a {@code timeout}, one
 * that hangs up before its first byte is {@code disconnected}; each in the close line
 * ({@code authentication failed: REASON}) and in {@code jecho_handshakes_failed_total{reason}}.
 */
class HandshakeOutcomeLogTest {

    static final SharedKey KEY = new SharedKey("k1", AuthenticatedJsonTest.bytes(0x42));

    @Test
    void aClientThatHangsUpInTheMiddleOfItsAuthMessageIsLoggedAndCountedAsTruncated() throws Exception {
        try (LogCapture log = LogCapture.start(); JechoServer server = server(Duration.ofSeconds(10))) {
            int port = connectAndHangUp(server.boundEndpoints().get(0), 10);
            assertThat(closeLine(log, port)).contains("(authentication failed: truncated, ");
            assertThat(failures(server, "truncated")).isEqualTo(1);
            assertThat(failures(server, "disconnected")).isZero();
        }
    }

    @Test
    void aClientThatHangsUpBeforeItsFirstByteIsLoggedAndCountedAsDisconnected() throws Exception {
        try (LogCapture log = LogCapture.start(); JechoServer server = server(Duration.ofSeconds(10))) {
            int port = connectAndHangUp(server.boundEndpoints().get(0), 0);
            assertThat(closeLine(log, port)).contains("(authentication failed: disconnected, ");
            assertThat(failures(server, "disconnected")).isEqualTo(1);
        }
    }

    @Test
    void aHandshakePastItsDeadlineIsLoggedAndCountedAsATimeout() throws Exception {
        try (LogCapture log = LogCapture.start(); JechoServer server = server(Duration.ofMillis(300))) {
            Endpoint tcp = server.boundEndpoints().get(0);
            int port;
            try (Socket s = new Socket(tcp.host(), tcp.port())) {
                s.setSoTimeout(10_000);
                port = s.getLocalPort();
                InputStream in = s.getInputStream();
                assertThat(in.readNBytes(HandshakeFormat.SERVER_HELLO_LENGTH)).hasSize(HandshakeFormat.SERVER_HELLO_LENGTH);
                s.getOutputStream().write(clientAuthStart(10)); // and then nothing: the deadline closes it
                assertThat(in.read()).as("closed by the server without a failure byte").isEqualTo(-1);
            }
            assertThat(closeLine(log, port)).contains("(authentication failed: timeout, ");
            assertThat(failures(server, "timeout")).isEqualTo(1);
            assertThat(failures(server, "truncated")).isZero();
        }
    }

    private static JechoServer server(Duration deadline) throws Exception {
        return Metered.start(JechoServer.builder().tcp("127.0.0.1", 0).keys(KEY.toKeyring()).handshakeTimeout(deadline)
                );
    }

    /** The first {@code n} bytes of a valid client auth message (magic, version, key id length 2, "k1", ...). */
    private static byte[] clientAuthStart(int n) {
        byte[] auth = new byte[HandshakeFormat.CLIENT_AUTH_PREFIX + 2];
        System.arraycopy(HandshakeFormat.MAGIC, 0, auth, 0, HandshakeFormat.MAGIC.length);
        auth[4] = HandshakeFormat.VERSION;
        auth[5] = 2;
        auth[6] = 'k';
        auth[7] = '1';
        return java.util.Arrays.copyOf(auth, n); // zeros past the id: the start of a client nonce
    }

    /** Reads the server hello, sends {@code n} bytes of an auth message, shuts down output; the local port. */
    private static int connectAndHangUp(Endpoint tcp, int n) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(tcp.host(), tcp.port()), 5000);
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            assertThat(in.readNBytes(HandshakeFormat.SERVER_HELLO_LENGTH)).hasSize(HandshakeFormat.SERVER_HELLO_LENGTH);
            s.getOutputStream().write(clientAuthStart(n));
            s.shutdownOutput();
            assertThat(in.read()).as("the server closes after our end of stream").isEqualTo(-1);
            return s.getLocalPort();
        }
    }

    /** The close line of the connection from {@code port}, awaited (the server writes it as the connection closes). */
    private static String closeLine(LogCapture log, int port) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<String> line = log.lines().stream()
                    .filter(l -> l.contains("127.0.0.1:" + port + " closed after")).findFirst();
            if (line.isPresent()) {
                return line.get();
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no close line for port " + port + " in " + log.lines());
    }

    private static long failures(JechoServer server, String reason) throws Exception {
        Scrape s = Scrape.of("http://" + Metered.address(server).address() + "/metrics");
        return (long) s.value("jecho_handshakes_failed_total", "reason", reason).orElse(0);
    }
}
