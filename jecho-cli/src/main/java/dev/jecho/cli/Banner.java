package dev.jecho.cli;

import dev.jecho.Endpoint;
import dev.jecho.Fault;
import dev.jecho.JechoServer;
import dev.jecho.ServerConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@code jecho server} prints once it listens: one screen that says what runs where. The
 * {@code listening on URL} lines are for scripts too (they read the ports that port 0 picked), so each
 * stays exactly that.
 *
 * <pre>
 * jecho 0.1.0 server: service upper, transport epoll, 2 I/O threads
 * authentication: jecho handshake, 1 key
 * tls: self-signed certificate in /home/me/.local/state/jecho/tls/self-signed.pem, SHA-256 fingerprint 84:91:...:50
 * listening on tcp://127.0.0.1:8888
 * listening on udp://127.0.0.1:8888
 * proxy protocol: TCP listeners expect a PROXY v1/v2 header from 127.0.0.0/8, ::1/128 (within 3 s)
 * limits: backlog 4096; reading pauses above 64 KiB of unsent replies per connection
 * metrics: http://127.0.0.1:9100/metrics (also /health, /connections)
 * </pre>
 */
final class Banner {

    private Banner() {
    }

    /** @param metrics where the metrics endpoint listens, or null when it is off */
    static List<String> lines(JechoServer server, Endpoint metrics) {
        ServerConfig config = server.config();
        List<String> lines = new ArrayList<>();
        int threads = config.effectiveIoThreads();
        lines.add(String.format("jecho %s server: service %s%s, transport %s, %d I/O %s",
                Versions.jechoVersion(), config.service().name(), config.json() ? " (JSON)" : "",
                server.transport().cliName(), threads, threads == 1 ? "thread" : "threads"));
        lines.add(authentication(config));
        lines.add(config.tls() == null ? "tls: off"
                : "tls: " + (config.tls().isSelfSigned() ? "self-signed certificate"
                        + (config.tls().keptIn() == null ? "" : " in " + config.tls().keptIn()) : "certificate "
                        + config.tls().certificate().getSubjectX500Principal().getName())
                        + ", SHA-256 fingerprint " + config.tls().fingerprint());
        for (Endpoint endpoint : server.boundEndpoints()) {
            lines.add("listening on " + endpoint);
        }
        if (config.proxyProtocol()) {
            lines.add("proxy protocol: TCP listeners expect a PROXY v1/v2 header from "
                    + String.join(", ", config.trustedProxies()) + " (within "
                    + config.proxyHeaderTimeout().toMillis() / 1000.0 + " s)");
        }
        lines.add("limits: backlog " + config.backlog() + "; reading pauses above "
                + config.writeBufferHigh() / 1024 + " KiB of unsent replies per connection"
                + (config.json() ? "; JSON messages up to " + size(config.maxLine()) + ", "
                        + size(config.effectiveMaxPartialBytes()) + " unfinished in all" : "")
                + socketOptions(config));
        if (!config.faults().isEmpty() || config.faultSeed().isPresent()) {
            // The seed always: with it, --fault-seed replays the same faults in the same order.
            lines.add("faults: " + (config.faults().isEmpty() ? "none" : config.faults().stream().map(Fault::toString)
                    .collect(java.util.stream.Collectors.joining("; "))) + " (seed " + server.faults().seed() + ")");
        }
        lines.add(metrics == null ? "metrics: off (--metrics HOST:PORT)"
                : "metrics: http://" + metrics.address() + "/metrics (also /health, /connections)");
        return lines;
    }

    private static String size(long bytes) {
        return bytes % (1 << 20) == 0 ? (bytes >> 20) + " MiB" : bytes % 1024 == 0 ? (bytes >> 10) + " KiB" : bytes + " bytes";
    }

    private static String authentication(ServerConfig config) {
        if (config.keys() == null) {
            return "authentication: off (no secret)";
        }
        int n = config.keys().ids().size();
        String handshake = config.legacyAuth() != null
                ? "the article's legacy handshake (" + config.legacyAuth().cliName() + ")"
                : "jecho handshake";
        return "authentication: " + handshake + ", " + n + (n == 1 ? " key" : " keys");
    }

    private static String socketOptions(ServerConfig config) {
        StringBuilder sb = new StringBuilder();
        if (!config.tcpNoDelay()) {
            sb.append("; TCP_NODELAY off");
        }
        if (!config.keepAlive()) {
            sb.append("; SO_KEEPALIVE off");
        }
        if (config.receiveBufferSize() > 0) {
            sb.append("; SO_RCVBUF ").append(config.receiveBufferSize());
        }
        if (config.sendBufferSize() > 0) {
            sb.append("; SO_SNDBUF ").append(config.sendBufferSize());
        }
        return sb.toString();
    }
}
