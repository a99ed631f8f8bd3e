package dev.jecho;

import dev.jecho.internal.keys.SharedKey;
import dev.jecho.testing.RandomJson;
import dev.jecho.testing.StreamClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Authenticated JSON sessions over real loopback sockets. */
class AuthenticatedJsonTest {

    static final SharedKey KEY = new SharedKey("main", bytes(0x5a));
    static final SharedKey WRONG = new SharedKey("main", bytes(0x5b));

    @TempDir
    Path dir;

    static byte[] bytes(int value) {
        byte[] b = new byte[32];
        java.util.Arrays.fill(b, (byte) value);
        return b;
    }

    static ClientConfig.Builder client(Endpoint endpoint, SharedKey key) {
        return ClientConfig.builder(endpoint).keys(key.toKeyring()).json(true).timeout(Duration.ofSeconds(60));
    }

    @Test
    @Timeout(180)
    void twoHundredAuthenticatedJsonClientsEachGetAHundredRandomValuesBackExactlyInOrder() throws Exception {
        Random random = new Random(20261126);
        List<byte[]> pool = new ArrayList<>();
        while (pool.size() < 300) {
            byte[] value = RandomJson.value(random, RandomJson.logUniformSize(random, 1024, 256 * 1024));
            if (value.length >= 1024 && value.length <= 256 * 1024) {
                pool.add(value);
            }
        }
        assertThat(pool).anySatisfy(v -> assertThat(v.length).isLessThan(2048))
                .anySatisfy(v -> assertThat(v.length).isGreaterThan(200 * 1024));
        // All 200 clients come from one address: exempt it from the per-source caps, as a load test would.
        try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).service(Service.ECHO).json(true)
                .keys(KEY.toKeyring()).logConnections(false).limitExempt("127.0.0.0/8").start()) {
            Endpoint tcp = server.boundEndpoints().get(0);
            int clients = Integer.getInteger("jt.clients", 200);
            int perClient = 100;
            List<JechoClient> connected = new ArrayList<>();
            ExecutorService pool200 = Executors.newFixedThreadPool(clients);
            try {
                for (int c = 0; c < clients; c++) {
                    connected.add(client(tcp, KEY).connect());
                }
                AtomicInteger exact = new AtomicInteger();
                List<Future<?>> done = new ArrayList<>();
                for (int c = 0; c < clients; c++) {
                    JechoClient jc = connected.get(c);
                    long seed = c;
                    done.add(pool200.submit(() -> {
                        Random r = new Random(seed);
                        ArrayDeque<byte[]> expected = new ArrayDeque<>();
                        ArrayDeque<CompletableFuture<byte[]>> replies = new ArrayDeque<>();
                        for (int i = 0; i < perClient; i++) {
                            byte[] value = pool.get(r.nextInt(pool.size()));
                            expected.add(value);
                            replies.add(jc.send(value));
                            if (replies.size() >= 4) {
                                assertThat(JechoClient.await(replies.poll())).isEqualTo(expected.poll());
                                exact.incrementAndGet();
                            }
                        }
                        while (!replies.isEmpty()) {
                            assertThat(JechoClient.await(replies.poll())).isEqualTo(expected.poll());
                            exact.incrementAndGet();
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(170, TimeUnit.SECONDS);
                }
                assertThat(exact.get()).isEqualTo(clients * perClient);
            } finally {
                pool200.shutdownNow();
                connected.forEach(JechoClient::close);
            }
        }
    }

    @Test
    void wrongKeyClientsAreRefusedWhileGoodClientsCarryOn() throws Exception {
        // Penalties off: with them, the wrong key's address (the good client's too, here) would be shut out
        // after a few failures; PenaltyTableTest and the admission tests cover that.
        try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).json(true).keys(KEY.toKeyring())
                .penalties("off").start()) {
            Endpoint tcp = server.boundEndpoints().get(0);
            try (JechoClient good = client(tcp, KEY).connect()) {
                for (int i = 0; i < 20; i++) {
                    assertThatThrownBy(() -> client(tcp, WRONG).connect().close())
                            .isInstanceOf(ClientException.class)
                            .hasMessageContaining("rejected our key")
                            .extracting(e -> ((ClientException) e).reason()).isEqualTo(ClientException.Reason.AUTH);
                    assertThat(new String(good.exchange(("{\"n\":" + i + ",\"s\":\"ok\"}").getBytes(StandardCharsets.UTF_8)),
                            StandardCharsets.UTF_8)).isEqualTo("{\"n\":" + i + ",\"s\":\"OK\"}");
                }
            }
        }
    }

    @Test
    void anAuthenticatedSessionWorksOverAUnixSocketInRawBytesMode() throws Exception {
        Path socket = dir.resolve("auth.sock");
        try (JechoServer server = JechoServer.builder().unix(socket).keys(KEY.toKeyring()).start();
             JechoClient c = ClientConfig.builder(Endpoint.unix(socket)).keys(KEY.toKeyring()).connect()) {
            byte[] big = new byte[300_000];
            new Random(3).nextBytes(big);
            assertThat(c.exchange("hello".getBytes(StandardCharsets.UTF_8))).isEqualTo("HELLO".getBytes(StandardCharsets.UTF_8));
            assertThat(c.exchange(big)).isEqualTo(dev.jecho.testing.Payloads.upper(big));
        }
    }

    @Test
    void jsonWithoutASecretIsPlainJsonLinesThatAnyToolCanSpeak() throws Exception {
        try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).json(true).start();
             StreamClient nc = StreamClient.connect(server.boundEndpoints().get(0))) {
            nc.write("{\"greeting\": \"hello\"}\nnot json\n".getBytes(StandardCharsets.UTF_8));
            String first = new String(nc.read("{\"greeting\":\"HELLO\"}\n".length()), StandardCharsets.UTF_8);
            assertThat(first).isEqualTo("{\"greeting\":\"HELLO\"}\n");
            byte[] rest = new byte[0];
            String error = readLine(nc);
            assertThat(error).startsWith("{\"error\":\"invalid_json\",\"detail\":\"");
            assertThat(rest).isEmpty();
        }
    }

    @Test
    void jsonOverAUnixSocketWithASecret() throws Exception {
        Path socket = dir.resolve("json.sock");
        try (JechoServer server = JechoServer.builder().unix(socket).json(true).keys(KEY.toKeyring()).start();
             JechoClient c = client(Endpoint.unix(socket), KEY).connect()) {
            assertThat(new String(JechoClient.await(c.sendText("hello 你好")), StandardCharsets.UTF_8)).isEqualTo("\"HELLO 你好\"");
            assertThat(new String(JechoClient.await(c.sendText("[1, {\"a\": \"b\"}]")), StandardCharsets.UTF_8)).isEqualTo("[1,{\"a\":\"B\"}]");
        }
    }

    @Test
    void aPlainClientGetsNothingButTheFailureByteFromAnAuthenticatingServer() throws Exception {
        try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).json(true).keys(KEY.toKeyring()).start();
             StreamClient nc = StreamClient.connect(server.boundEndpoints().get(0))) {
            byte[] hello = nc.read(37);
            assertThat(new String(hello, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("JECH");
            nc.write("{\"sneak\":1}\n".getBytes(StandardCharsets.UTF_8));
            assertThat(nc.read(1)).containsExactly(0x15);
            assertThat(nc.readsEndOfStream()).isTrue();
        }
    }

    static String readLine(StreamClient c) throws java.io.IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 4096; i++) {
            byte b = c.read(1)[0];
            if (b == '\n') {
                return sb.toString();
            }
            sb.append((char) b);
        }
        throw new AssertionError("no newline in 4096 bytes");
    }
}
