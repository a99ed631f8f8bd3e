package dev.jecho.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What the tests that put jecho servers behind a real load balancer (HAProxy, nginx) share. */
public final class ProxyHarness {

    private ProxyHarness() {
    }

    /** The program's path on the PATH or in the sbin directories (where Debian puts daemons), or null. */
    public static String findExecutable(String name) {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/local/sbin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return Path.of(dir, name).toString();
            }
        }
        return null;
    }

    /** A loopback port free a moment ago, for a program that cannot report the port it bound. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    /**
     * Waits up to 10 s until the proxy accepts connections on {@code port}, probing from {@code probeSource}
     * (the proxy passes the probe on as one more connection); fails with the proxy's log if it exits.
     */
    public static void awaitListening(int port, Process proxy, Path log, String probeSource) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!proxy.isAlive()) {
                throw new AssertionError("the proxy exited with " + proxy.exitValue() + ": " + read(log));
            }
            try (Socket probe = new Socket()) {
                probe.bind(new InetSocketAddress(InetAddress.getByName(probeSource), 0));
                probe.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("the proxy did not listen on " + port + " within 10 s: " + read(log));
    }

    /** Ends the proxy (SIGTERM, then SIGKILL after 5 s) and waits for it. */
    public static void stop(Process proxy) throws InterruptedException {
        proxy.destroy();
        if (!proxy.waitFor(5, TimeUnit.SECONDS)) {
            proxy.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** Open connections per client IP, from a jecho server's {@code /connections}. */
    public static Map<String, Integer> peers(String metricsUrl) throws Exception {
        JsonNode json = new ObjectMapper().readTree(Scrape.get(metricsUrl + "/connections").body());
        Map<String, Integer> peers = new HashMap<>();
        for (JsonNode p : json.get("peers")) {
            peers.put(p.get("address").asText(), p.get("connections").asInt());
        }
        return peers;
    }

    public static byte[] readFully(InputStream in, int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw new IOException("end of stream after " + b.length + " of " + n + " bytes");
        }
        return b;
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "(no log)";
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }
}
