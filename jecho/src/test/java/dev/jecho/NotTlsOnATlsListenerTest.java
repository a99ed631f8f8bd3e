package dev.jecho;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.jecho.ServerStats.Refusal;
import dev.jecho.testing.LogCapture;
import dev.jecho.testing.StreamClient;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12's item 17: bytes that are not TLS on a {@code --tls} listener. The TLS error quotes them (a hex
 * dump of the record, about 4 KB for a 2 KB read), and it used to reach the INFO close line whole: now every
 * log line about the connection is short and shows no control character, whatever the close reason says,
 * and each such connection counts toward its source's penalty as a failed authentication does (5 s each by
 * default, refused past 15 s).
 */
class NotTlsOnATlsListenerTest {

    @Test
    void theCloseLineIsBoundedAndTheSourceIsPenalisedLikeAFailedAuthentication() throws Exception {
        ServerTls tls = ServerTls.selfSigned(List.of("localhost"), List.of());
        byte[] garbage = new byte[4096];
        Arrays.fill(garbage, (byte) 'G');
        byte[] start = "GET / HTTP/1.1\r\n\u001b[2J\u0000".getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(start, 0, garbage, 0, start.length);
        try (LogCapture log = LogCapture.start();
             JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).tls(tls).start()) {
            Endpoint endpoint = server.boundEndpoints().get(0);
            for (int i = 0; i < 4; i++) {
                try (StreamClient plain = StreamClient.connectFrom(endpoint, "127.0.2.1")) {
                    assertThat(closedByServer(plain, garbage)).as("attempt %d", i).isTrue();
                }
            }
            try (StreamClient fifth = StreamClient.connectFrom(endpoint, "127.0.2.2")) {
                assertThat(closedByServer(fifth, garbage)).isTrue();
            }
            assertThat(server.stats().refusedConnections(Refusal.PENALTY)).as("4 x 5 s > 15 s: the /24 is refused").isEqualTo(1);

            awaitLines(log, 5);
            List<String> lines = log.events().stream().filter(e -> e.getLoggerName().startsWith("dev.jecho"))
                    .map(ILoggingEvent::getFormattedMessage).toList();
            List<String> closeLines = lines.stream().filter(l -> l.contains(" closed after ")).toList();
            assertThat(closeLines).hasSize(4);
            assertThat(lines).anyMatch(l -> l.matches("penalising 127\\.0\\.2\\.0/24 for (1[5-9]|20)\\.\\d s: failed TLS handshake"));
            assertThat(lines).allSatisfy(line -> {
                assertThat(line.length()).as(line).isLessThan(300);
                assertThat(line.chars()).as(line).noneMatch(Character::isISOControl);
            });
        }
    }

    /** Writes, then reads to the end (a TLS alert may come first): true when the server closed or reset the connection. */
    private static boolean closedByServer(StreamClient client, byte[] data) throws IOException {
        try {
            client.write(data);
        } catch (SocketException reset) {
            return true;
        }
        return client.endsWithin(Duration.ofSeconds(10));
    }

    /** The close lines are written as the connections go inactive on the server's event loop. */
    private static void awaitLines(LogCapture log, int closes) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (log.lines().stream().filter(l -> l.contains(" closed after ") || l.contains(" refused: ")).count() < closes
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }
}
