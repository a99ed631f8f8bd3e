package dev.jecho;

import dev.jecho.internal.keys.SharedKey;
import dev.jecho.ServerStats.Refusal;
import dev.jecho.internal.protocol.handshake.HandshakeFormat;
import dev.jecho.testing.StreamClient;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The limits before authentication on a real {@link JechoServer} with a secret, addresses in different
 * 127.0.N.0/24s standing for different machines: one address's flood of unauthenticated connections is capped at
 * {@code --max-startups-per-ip} while another address authenticates normally, and an address that keeps
 * failing authentication is refused for the penalty window, then let back in. (The caps' mechanics, frozen
 * clock and all, are in {@code AdmissionTest}; the slowloris variant is {@link SlowlorisTest}.)
 */
class PreAuthenticationLimitsTest {

    static final SharedKey KEY = new SharedKey("k", AuthenticatedJsonTest.bytes(0x41));
    static final SharedKey WRONG = new SharedKey("k", AuthenticatedJsonTest.bytes(0x42));

    private static ClientConfig.Builder client(Endpoint endpoint, SharedKey key, String from) throws IOException {
        return ClientConfig.builder(endpoint).keys(key.toKeyring()).json(true).localAddress(InetAddress.getByName(from))
                .timeout(Duration.ofSeconds(10));
    }

    private static String hello(JechoClient c) throws ClientException {
        return new String(JechoClient.await(c.sendText("hello")), StandardCharsets.UTF_8);
    }

    @Test
    void aFloodOfUnauthenticatedConnectionsFromOneAddressIsCappedWhileAnotherAddressAuthenticates() throws Exception {
        int cap = 8;
        int flood = 100;
        try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).json(true).keys(KEY.toKeyring())
                .maxStartupsPerIp(cap).logConnections(false).start()) {
            Endpoint endpoint = server.boundEndpoints().get(0);
            List<StreamClient> flooding = new ArrayList<>();
            try {
                for (int i = 0; i < flood; i++) {
                    flooding.add(StreamClient.connectFrom(endpoint, "127.0.20.1")); // and never say a word
                }
                try (JechoClient other = client(endpoint, KEY, "127.0.21.1").connect()) {
                    assertThat(hello(other)).as("another address during the flood").isEqualTo("\"HELLO\"");
                }
                awaitOpen(server, cap);
                assertThat(server.stats().refusedConnections(Refusal.STARTUPS_PER_IP) + server.stats().refusedConnections(Refusal.PENALTY))
                        .isEqualTo(flood - cap);
                int held = 0;
                int closed = 0;
                for (StreamClient c : flooding) {
                    if (refusedWithoutAWord(c)) {
                        closed++;
                    } else {
                        held++;
                    }
                }
                assertThat(held).as("held: the per-source cap").isEqualTo(cap);
                assertThat(closed).as("refused at once").isEqualTo(flood - cap);
                try (JechoClient stillOther = client(endpoint, KEY, "127.0.21.1").connect()) {
                    assertThat(hello(stillOther)).as("the other address while the cap is full").isEqualTo("\"HELLO\"");
                }
            } finally {
                for (StreamClient c : flooding) {
                    c.close();
                }
            }
        }
    }

    /**
     * True when the server closed the connection without a word (refused before its handshake began); false
     * when it sent its hello and holds the connection open, waiting for our auth message.
     */
    private static boolean refusedWithoutAWord(StreamClient c) throws IOException {
        c.channel().socket().setSoTimeout(10_000);
        byte[] hello;
        try {
            hello = c.channel().socket().getInputStream().readNBytes(HandshakeFormat.SERVER_HELLO_LENGTH);
        } catch (IOException reset) {
            return true;
        }
        if (hello.length == 0) {
            return true;
        }
        assertThat(hello).hasSize(HandshakeFormat.SERVER_HELLO_LENGTH).startsWith(HandshakeFormat.MAGIC);
        return false;
    }

    @Test
    void anAddressThatKeepsFailingAuthenticationIsRefusedUntilItsPenaltyRunsOut() throws Exception {
        // each failure adds 1 s; more than 2 s outstanding refuses, for at most 3 s
        String penalties = "authfail:1s,timeout:1s,refused:0,noauth:0,min:2s,max:3s,max-sources:100";
        Duration longest = Duration.ofSeconds(3);
        try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).json(true).keys(KEY.toKeyring())
                .penalties(penalties).logConnections(false).start()) {
            Endpoint endpoint = server.boundEndpoints().get(0);
            String failing = "127.0.22.1";
            assertThatThrownBy(() -> client(endpoint, WRONG, failing).connect().close())
                    .isInstanceOf(ClientException.class).hasMessageContaining("rejected our key");
            try (JechoClient c = client(endpoint, KEY, failing).connect()) {
                assertThat(hello(c)).as("one failure locks no one out").isEqualTo("\"HELLO\"");
            }
            for (int i = 0; i < 2; i++) {
                assertThatThrownBy(() -> client(endpoint, WRONG, failing).connect().close())
                        .isInstanceOf(ClientException.class).hasMessageContaining("rejected our key");
            }
            long lastFailure = System.nanoTime();
            assertThatThrownBy(() -> client(endpoint, KEY, failing).connect().close()).as("even with the right key")
                    .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.reason())
                            .isIn(ClientException.Reason.CLOSED, ClientException.Reason.IO));
            assertThat(server.stats().refusedConnections(Refusal.PENALTY)).isEqualTo(1);
            try (JechoClient other = client(endpoint, KEY, "127.0.23.1").connect()) {
                assertThat(hello(other)).as("another address is unaffected").isEqualTo("\"HELLO\"");
            }

            long giveUp = lastFailure + longest.toNanos() + TimeUnit.SECONDS.toNanos(10);
            int refusedMeanwhile = 0;
            while (true) {
                try (JechoClient back = client(endpoint, KEY, failing).connect()) {
                    assertThat(hello(back)).isEqualTo("\"HELLO\"");
                    break;
                } catch (ClientException refused) {
                    assertThat(refused.reason()).as(refused.getMessage()).isIn(ClientException.Reason.CLOSED, ClientException.Reason.IO);
                    refusedMeanwhile++;
                    assertThat(System.nanoTime()).as("the penalty runs out").isLessThan(giveUp);
                    Thread.sleep(100);
                }
            }
            long back = System.nanoTime() - lastFailure;
            assertThat(server.stats().refusedConnections(Refusal.PENALTY)).isEqualTo(1 + refusedMeanwhile);
            System.out.printf("penalty: 3 failed authentications from one address (1 s each, refused past 2 s):"
                    + " refused for %d ms after the last failure (%d attempts refused), other addresses served throughout%n",
                    back / 1_000_000, 1 + refusedMeanwhile);
        }
    }

    private static void awaitOpen(JechoServer server, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.stats().openConnections() != expected && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(server.stats().openConnections()).isEqualTo(expected);
    }
}
