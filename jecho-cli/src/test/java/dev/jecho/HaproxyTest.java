package dev.jecho;

import dev.jecho.testing.DeployDoc;
import dev.jecho.testing.JechoProcess;
import dev.jecho.testing.ProxyHarness;
import dev.jecho.testing.Scrape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Two {@code jecho server --proxy-protocol} processes behind a real HAProxy ({@code send-proxy-v2}), 100
 * clients from 100 distinct loopback addresses: both instances serve, and each sees its clients' real
 * addresses in its logs and per-IP counts, not HAProxy's. The jecho commands and the HAProxy configuration
 * are docs/deploy.md's, as written but for ports and the front end's address ({@link DeployDoc}).
 * {@code .ci/run} installs Debian's haproxy; without it this test is skipped.
 */
class HaproxyTest {

    private static final int CLIENTS = 100;
    /** The readiness probe's source address: HAProxy passes it on too, as one more connection. */
    private static final String PROBE_SOURCE = "127.0.0.250";

    @Test
    void twoInstancesBehindHaproxySeeTheClientsRealAddresses(@TempDir Path dir) throws Exception {
        String haproxy = ProxyHarness.findExecutable("haproxy");
        assumeTrue(haproxy != null, "haproxy not found on PATH or in /usr/sbin: install it (apt-get install haproxy);"
                + " .ci/run does");

        List<List<String>> commands = DeployDoc.serverCommands(DeployDoc.block("sh", "haproxy -f"));
        assertThat(commands).as("docs/deploy.md starts two jecho servers behind HAProxy").hasSize(2);
        try (JechoProcess a = JechoProcess.start(commands.get(0).toArray(new String[0]));
             JechoProcess b = JechoProcess.start(commands.get(1).toArray(new String[0]))) {
            Endpoint aTcp = a.awaitListening(1).get(0);
            Endpoint bTcp = b.awaitListening(1).get(0);
            String aMetrics = a.awaitMetricsUrl();
            String bMetrics = b.awaitMetricsUrl();

            int front = ProxyHarness.freePort();
            Path cfg = dir.resolve("haproxy.cfg");
            Files.writeString(cfg, config(front, aTcp.port(), bTcp.port()));
            Path log = dir.resolve("haproxy.log");
            Process proxy = new ProcessBuilder(haproxy, "-db", "-f", cfg.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            List<Socket> clients = new ArrayList<>();
            try {
                ProxyHarness.awaitListening(front, proxy, log, PROBE_SOURCE);
                Set<String> sources = new TreeSet<>();
                for (int i = 0; i < CLIENTS; i++) {
                    String source = "127.0.0." + (10 + i);
                    sources.add(source);
                    Socket s = new Socket();
                    clients.add(s);
                    s.setSoTimeout(10_000);
                    s.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
                    s.connect(new InetSocketAddress("127.0.0.1", front), 5_000);
                    String msg = "hello from " + source + "\n";
                    OutputStream out = s.getOutputStream();
                    out.write(msg.getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    byte[] reply = ProxyHarness.readFully(s.getInputStream(), msg.length());
                    assertThat(new String(reply, StandardCharsets.US_ASCII)).as("the default service, upper")
                            .isEqualTo(msg.toUpperCase(Locale.ROOT));
                    Thread.sleep(25); // 40 connects a second: under the connection log's 50 lines a second
                }

                Map<String, Integer> aPeers = ProxyHarness.peers(aMetrics);
                Map<String, Integer> bPeers = ProxyHarness.peers(bMetrics);
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
                ProxyHarness.stop(proxy);
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

    /** The HAProxy configuration of docs/deploy.md, on test ports, its front end on loopback only. */
    static String config(int front, int backendA, int backendB) {
        String cfg = DeployDoc.block("", "frontend echo");
        cfg = DeployDoc.replace(cfg, "bind :8888", "bind 127.0.0.1:" + front);
        cfg = DeployDoc.replace(cfg, "127.0.0.1:9001", "127.0.0.1:" + backendA);
        return DeployDoc.replace(cfg, "127.0.0.1:9002", "127.0.0.1:" + backendB);
    }
}
