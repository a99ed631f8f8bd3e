package dev.jecho;

import dev.jecho.ServerStats.Refusal;
import dev.jecho.testing.StreamClient;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-source limits on real sockets, addresses in different 127.0.N.0/24s standing for different
 * machines: a cap per address, refusals that add up to a penalty outlasting the flood, other sources untouched, exempt ones
 * unlimited, and the penalty running out on the wall clock. (The pre-authentication caps around the real
 * handshake are in {@link PreAuthenticationLimitsTest} and {@link SlowlorisTest}.)
 */
class PerSourceLimitsTest {

    @Test
    void oneAddressIsCappedAndPenalisedWhileOthersAreServedAndThePenaltyRunsOut() throws Exception {
        // each refusal adds 2 s; past 3 s outstanding the address is refused: from the second refusal on
        String penalties = "authfail:0,timeout:0,refused:2s,noauth:0,min:3s,max:6s,max-sources:100";
        try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).service(Service.UPPER).maxConnectionsPerIp(4)
                .penalties(penalties).limitExempt("127.0.4.1").logConnections(false).start()) {
            Endpoint endpoint = server.boundEndpoints().get(0);
            List<StreamClient> held = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    StreamClient c = StreamClient.connectFrom(endpoint, "127.0.2.1");
                    assertThat(c.exchange(bytes("held " + i))).isEqualTo(bytes("HELD " + i));
                    held.add(c);
                }
                for (int i = 0; i < 5; i++) {
                    assertThat(refused(endpoint, "127.0.2.1")).as("attempt %d past the cap", i).isTrue();
                }
                long penaltyEndsBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(4); // 2 refusals x 2 s, counted from before now
                assertThat(server.stats().refusedConnections(Refusal.PER_IP)).as("refused by the cap").isEqualTo(2);
                assertThat(server.stats().refusedConnections(Refusal.PENALTY)).as("then by the penalty").isEqualTo(3);
                try (StreamClient other = StreamClient.connectFrom(endpoint, "127.0.3.1")) {
                    assertThat(other.exchange(bytes("other"))).isEqualTo(bytes("OTHER"));
                }
                List<StreamClient> exempt = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    StreamClient c = StreamClient.connectFrom(endpoint, "127.0.4.1");
                    exempt.add(c);
                    assertThat(c.exchange(bytes("bench"))).isEqualTo(bytes("BENCH"));
                }
                for (StreamClient c : exempt) {
                    c.close();
                }
                for (StreamClient c : held) {
                    assertThat(c.exchange(bytes("still"))).as("held connections are untouched").isEqualTo(bytes("STILL"));
                    c.close();
                }
                held.clear();
                awaitOpen(server, 0);

                // below the cap now, but the penalty outlasts the flood; penalised attempts add nothing to it
                assertThat(refused(endpoint, "127.0.2.1")).as("penalised").isTrue();
                assertThat(server.stats().refusedConnections(Refusal.PENALTY)).isEqualTo(4);

                Thread.sleep(Math.max(0, penaltyEndsBy + TimeUnit.MILLISECONDS.toNanos(300) - System.nanoTime()) / 1_000_000);
                try (StreamClient back = StreamClient.connectFrom(endpoint, "127.0.2.1")) {
                    assertThat(back.exchange(bytes("back"))).as("the penalty ran out").isEqualTo(bytes("BACK"));
                }
            } finally {
                for (StreamClient c : held) {
                    c.close();
                }
            }
        }
    }

    /** True when the server closes the connection at once without a reply. */
    private static boolean refused(Endpoint endpoint, String from) throws IOException {
        try (StreamClient c = StreamClient.connectFrom(endpoint, from)) {
            c.channel().socket().setSoTimeout(5000);
            try {
                c.write(bytes("hello?"));
                return c.channel().socket().getInputStream().read(new byte[8]) < 0;
            } catch (IOException e) {
                return String.valueOf(e.getMessage()).contains("reset") || String.valueOf(e.getMessage()).contains("Broken pipe");
            }
        }
    }

    private static void awaitOpen(JechoServer server, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.stats().openConnections() != expected && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(server.stats().openConnections()).isEqualTo(expected);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
