package dev.jecho;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jecho.testing.JechoProcess;
import dev.jecho.testing.Scrape;
import dev.jecho.transport.Endpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Two {@code jecho server --proxy-protocol} processes behind a real HAProxy ({@code send-proxy-v2}), 100
 * clients from 100 distinct loopback addresses: both instances serve, and each sees its clients' real
 * addresses in its logs and per-IP counts, not HAProxy's. The configuration is the one in docs/deploy.md.
 * {@code .ci/run} installs Debian's haproxy; without it this test is skipped.
 */
class HaproxyTest {

    private static final int CLIENTS = 100;
    /** The readiness probe's source address: HAProxy passes it on too, as one more connection. */
    private static final String PROBE_SOURCE = "127.0.0.250";

    @Test
    void twoInstancesBehindHaproxySeeTheClientsRealAddresses(@TempDir Path dir) throws Exception {
        String haproxy = findHaproxy();
        assumeTrue(haproxy != null, "haproxy not found on PATH or in /usr/sbin: install it (apt-get install haproxy);"
                + " .ci/run does");

        try (JechoProcess a = JechoProcess.start("server", "--tcp", "127.0.0.1:0", "--proxy-protocol", "--trusted-proxy", "127.0.0.1",
                "--service", "echo", "--metrics", "127.0.0.1:0");
             JechoProcess b = JechoProcess.start("server", "--tcp", "127.0.0.1:0", "--proxy-protocol", "--trusted-proxy", "127.0.0.1",
                     "--service", "echo", "--metrics", "127.0.0.1:0")) {
            Endpoint aTcp = a.awaitListening(1).get(0);
            Endpoint bTcp = b.awaitListening(1).get(0);
            String aMetrics = a.awaitMetricsUrl();
            String bMetrics = b.awaitMetricsUrl();

            int front = freePort();
            Path cfg = dir.resolve("haproxy.cfg");
            Files.writeString(cfg, config(front, aTcp.port(), bTcp.port()));
            Process proxy = new ProcessBuilder(haproxy, "-db", "-f", cfg.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile()).start();
            List<Socket> clients = new ArrayList<>();
            try {
                awaitListening(front, proxy, dir.resolve("haproxy.log"));
                Set<String> sources = new TreeSet<>();
                for (int i = 0; i < CLIENTS; i++) {
                    String source = "127.0.0." + (10 + i);
                    sources.add(source);
                    Socket s = new Socket();
                    clients.add(s);
                    s.setSoTimeout(10_000);
                    s.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
                    s.connect(new InetSocketAddress("127.0.0.1", front), 5_000);
                    byte[] msg = ("hello from " + source + "\n").getBytes(StandardCharsets.US_ASCII);
                    OutputStream out = s.getOutputStream();
                    out.write(msg);
                    out.flush();
                    assertThat(readFully(s.getInputStream(), msg.length)).isEqualTo(msg);
                    Thread.sleep(25); // 40 connects a second: under the connection log's 50 lines a second
                }

                Map<String, Integer> aPeers = peers(aMetrics);
                Map<String, Integer> bPeers = peers(bMetrics);
                assertThat(aPeers).as("instance a served traffic").isNotEmpty();
                assertThat(bPeers).as("instance b served traffic").isNotEmpty();
                assertThat(aPeers.keySet()).doesNotContainAnyElementsOf(bPeers.keySet());
                Set<String> seen = new TreeSet<>(aPeers.keySet());
                seen.addAll(bPeers.keySet());
                assertThat(seen).as("the clients' real addresses, not HAProxy's 127.0.0.1").isEqualTo(sources);
                assertThat(aPeers.values()).containsOnly(1);
                assertThat(bPeers.values()).containsOnly(1);

                long accepted = Scrape.of(aMetrics + "/metrics").count("jecho_connections_accepted_total")
                        + Scrape.of(bMetrics + "/metrics").count("jecho_connections_accepted_total");
                assertThat(accepted).as("the clients and the readiness probe").isEqualTo(CLIENTS + 1);
                assertThat(Scrape.of(aMetrics + "/metrics").value("jecho_connections_refused_total")).isEmpty();
            } finally {
                for (Socket s : clients) {
                    s.close();
                }
                proxy.destroy();
                if (!proxy.waitFor(5, TimeUnit.SECONDS)) {
                    proxy.destroyForcibly();
                }
            }
            a.terminate();
            b.terminate();
            assertThat(a.waitFor(10)).isZero();
            assertThat(b.waitFor(10)).isZero();
            String logs = a.stderr() + b.stderr();
            for (int i = 0; i < CLIENTS; i++) {
                assertThat(logs).contains("tcp 127.0.0." + (10 + i) + ":");
            }
            assertThat(logs).doesNotContain("tcp 127.0.0.1:").doesNotContain("Exception");
        }
    }

    /** The HAProxy configuration of docs/deploy.md, on test ports. */
    static String config(int front, int backendA, int backendB) {
        return """
                global
                    maxconn 2000

                defaults
                    mode tcp
                    timeout connect 5s
                    timeout client  1m
                    timeout server  1m

                frontend echo
                    bind 127.0.0.1:%d
                    default_backend jecho

                backend jecho
                    balance roundrobin
                    server a 127.0.0.1:%d send-proxy-v2
                    server b 127.0.0.1:%d send-proxy-v2
                """.formatted(front, backendA, backendB);
    }

    /** Open connections per client IP, from {@code /connections}. */
    private static Map<String, Integer> peers(String metricsUrl) throws Exception {
        JsonNode json = new ObjectMapper().readTree(Scrape.get(metricsUrl + "/connections").body());
        Map<String, Integer> peers = new HashMap<>();
        for (JsonNode p : json.get("peers")) {
            peers.put(p.get("address").asText(), p.get("connections").asInt());
        }
        return peers;
    }

    private static String findHaproxy() {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/local/sbin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "haproxy"))) {
                return Path.of(dir, "haproxy").toString();
            }
        }
        return null;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private static void awaitListening(int port, Process proxy, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!proxy.isAlive()) {
                throw new AssertionError("haproxy exited with " + proxy.exitValue() + ": " + Files.readString(log));
            }
            try (Socket probe = new Socket()) {
                probe.bind(new InetSocketAddress(InetAddress.getByName(PROBE_SOURCE), 0));
                probe.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("haproxy did not listen on " + port + " within 10 s: " + Files.readString(log));
    }

    private static byte[] readFully(InputStream in, int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw new IOException("end of stream after " + b.length + " of " + n + " bytes");
        }
        return b;
    }
}
