package dev.jecho;

import dev.jecho.internal.transport.NettyTransport;
import dev.jecho.testing.LogCapture;
import dev.jecho.testing.StreamClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * TLS on one side only, on real loopback sockets: each side says at once that the other does not speak
 * TLS. The server's handshake deadline is set far beyond the test's bounds, so waiting for it fails them.
 */
class NotTlsTest {

    /** The fatal unexpected_message alert the server sends a client that does not speak TLS. */
    private static final byte[] ALERT = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x0a};
    /** Well under the SslHandler's own 10 s handshake timeout, which is what a server without the check waits. */
    private static final Duration AT_ONCE = Duration.ofSeconds(5);
    /** Well under the client's handshake timeout set below, and generous for a first TLS handshake on a slow machine. */
    private static final Duration CLIENT_AT_ONCE = Duration.ofSeconds(30);

    private static ServerTls tls;

    @BeforeAll
    static void certificate() throws Exception {
        tls = ServerTls.selfSigned(List.of("localhost"), List.of(InetAddress.getByName("127.0.0.1")));
    }

    private static dev.jecho.ServerConfig.Builder tlsServer() {
        return JechoServer.builder().tcp("127.0.0.1", 0).tls(tls).handshakeTimeout(Duration.ofSeconds(60));
    }

    /** Reads what the server sends until it closes; fails if it is still open after {@link #AT_ONCE}. */
    private static byte[] readUntilClosed(StreamClient c) throws Exception {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        c.channel().socket().setSoTimeout((int) AT_ONCE.toMillis());
        java.io.InputStream in = c.channel().socket().getInputStream();
        byte[] buf = new byte[1024];
        for (int n; (n = in.read(buf)) >= 0; ) {
            got.write(buf, 0, n);
        }
        return got.toByteArray();
    }

    /** The close line of the one connection the server logged, once it is there. */
    private static String closeLine(LogCapture log) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            for (String line : log.lines()) {
                if (line.contains(" closed after ")) {
                    return line;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no close line in " + log.lines());
    }

    /** On every transport: on io_uring the SslHandler once added alerts of its own behind the one alert. */
    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"EPOLL", "IO_URING", "NIO"})
    void aPlainClientsShortMessageOnATlsListenerIsAnsweredWithAnAlertAndClosedAtOnceAsNotTls(Transport transport) throws Exception {
        assumeTrue(NettyTransport.available(transport), transport.cliName() + " is not available here");
        try (LogCapture log = LogCapture.start(); JechoServer server = tlsServer().transport(transport).start();
             StreamClient c = StreamClient.connect(server.boundEndpoints().get(0))) {
            c.write("hi".getBytes()); // shorter than a TLS record header: the SslHandler alone would wait for more
            assertThat(readUntilClosed(c)).isEqualTo(ALERT);
            assertThat(closeLine(log)).matches("tcp 127\\.0\\.0\\.1:\\d+ closed after 0 messages, 0 bytes \\(not TLS, .*\\)");
        }
    }

    @Test
    void kilobytesOfNonTlsBytesAreNotHexDumpedIntoTheCloseLine() throws Exception {
        byte[] notTls = new byte[4096];
        Arrays.fill(notTls, (byte) 'x');
        notTls[0] = 0x16; // passes as the start of a TLS handshake record: the SslHandler itself rejects the rest
        try (LogCapture log = LogCapture.start(); JechoServer server = tlsServer().start();
             StreamClient c = StreamClient.connect(server.boundEndpoints().get(0))) {
            c.write(notTls);
            c.readUntilClosed(AT_ONCE); // a reset: the server closed with our bytes unread
            assertThat(closeLine(log)).matches("tcp 127\\.0\\.0\\.1:\\d+ closed after 0 messages, 0 bytes \\(not TLS, [^)]*\\)")
                    .hasSizeLessThan(120);
        }
    }

    @Test
    void aTlsClientOnAPlainEchoListenerSaysAtOnceThatTheServerDoesNotSpeakTls() throws Exception {
        for (Service service : new Service[] {Service.ECHO, Service.UPPER}) {
            try (JechoServer plain = JechoServer.builder().tcp("127.0.0.1", 0).service(service).start()) {
                Endpoint tcp = plain.boundEndpoints().get(0);
                long start = System.nanoTime();
                assertThatThrownBy(() -> ClientConfig.builder(tcp).tls(ClientTls.insecure())
                        .handshakeTimeout(Duration.ofSeconds(60)).connect())
                        .isInstanceOf(ClientException.class)
                        .hasMessage(tcp + " does not speak TLS: it echoed our TLS hello (drop --tls?)")
                        .extracting(e -> ((ClientException) e).reason()).isEqualTo(ClientException.Reason.AUTH);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as(service.toString()).isLessThan(CLIENT_AT_ONCE);
            }
        }
    }

    @Test
    void aTlsClientOnAKeyedPlainListenerIsToldItBeganJechosHandshake() throws Exception {
        try (JechoServer keyed = JechoServer.builder().tcp("127.0.0.1", 0).keys(AuthenticatedJsonTest.KEY.toKeyring()).start()) {
            Endpoint tcp = keyed.boundEndpoints().get(0);
            assertThatThrownBy(() -> ClientConfig.builder(tcp).tls(ClientTls.insecure()).keys(AuthenticatedJsonTest.KEY.toKeyring())
                    .handshakeTimeout(Duration.ofSeconds(60)).connect())
                    .isInstanceOf(ClientException.class)
                    .hasMessage(tcp + " does not speak TLS: it began jecho's handshake (drop --tls?)");
        }
    }

    @Test
    void aRealTlsClientStillGetsThroughTheFirstByteCheck() throws Exception {
        try (JechoServer server = tlsServer().start();
             dev.jecho.JechoClient c = ClientConfig.builder(server.boundEndpoints().get(0))
                     .tls(ClientTls.pinned(dev.jecho.internal.tls.Fingerprint.parse(tls.fingerprint()))).connect()) {
            assertThat(c.exchange("hello".getBytes())).isEqualTo("HELLO".getBytes());
        }
    }
}
