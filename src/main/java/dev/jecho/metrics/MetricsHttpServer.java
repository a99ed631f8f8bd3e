package dev.jecho.metrics;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonFactory;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.jecho.transport.TcpInfo;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The operator's HTTP port ({@code --metrics HOST:PORT}), on one thread of its own so that a scrape never
 * touches an event loop:
 *
 * <ul>
 *   <li>{@code GET /metrics}: Prometheus text format (OpenMetrics when the scraper asks for it);</li>
 *   <li>{@code GET /health}: 200 {@code ok} while the server accepts connections, 503 once it is stopping;</li>
 *   <li>{@code GET /connections}: every open stream connection as JSON, with the kernel's TCP view where
 *       the transport has it; {@code ?format=text} for a table like {@code ss -ti}.</li>
 * </ul>
 */
public final class MetricsHttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsHttpServer.class);

    private final HttpServer http;
    private final ExecutorService executor;
    private final PrometheusMetrics metrics;
    private final ServerView server;

    private MetricsHttpServer(HttpServer http, ExecutorService executor, PrometheusMetrics metrics, ServerView server) {
        this.http = http;
        this.executor = executor;
        this.metrics = metrics;
        this.server = server;
    }

    /** Binds and starts serving; port 0 picks a free port ({@link #address()} tells which). */
    public static MetricsHttpServer start(InetSocketAddress address, PrometheusMetrics metrics, ServerView server)
            throws IOException {
        HttpServer http = HttpServer.create(address, 16);
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "jecho-metrics-http");
            t.setDaemon(true);
            return t;
        });
        MetricsHttpServer s = new MetricsHttpServer(http, executor, metrics, server);
        http.setExecutor(executor);
        http.createContext("/", s::handle);
        http.start();
        return s;
    }

    public InetSocketAddress address() {
        return http.getAddress();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                reply(exchange, 405, "text/plain; charset=utf-8", "use GET\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            String path = exchange.getRequestURI().getPath();
            switch (path) {
                case "/metrics" -> metrics(exchange);
                case "/health" -> health(exchange);
                case "/connections" -> connections(exchange);
                case "/" -> reply(exchange, 200, "text/plain; charset=utf-8",
                        "jecho: /metrics /health /connections\n".getBytes(StandardCharsets.UTF_8));
                default -> reply(exchange, 404, "text/plain; charset=utf-8",
                        ("not found: " + path + " (try /metrics, /health or /connections)\n").getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("metrics request failed: {}", e.toString());
        }
    }

    private void metrics(HttpExchange exchange) throws IOException {
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        ExpositionFormatWriter writer = accept != null && accept.contains("application/openmetrics-text")
                ? OpenMetricsTextFormatWriter.create()
                : PrometheusTextFormatWriter.create();
        MetricSnapshots snapshots = metrics.registry().scrape();
        ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
        writer.write(body, snapshots, EscapingScheme.ALLOW_UTF8);
        reply(exchange, 200, writer.getContentType(), body.toByteArray());
    }

    private void health(HttpExchange exchange) throws IOException {
        boolean up = server.accepting();
        reply(exchange, up ? 200 : 503, "text/plain; charset=utf-8",
                (up ? "ok\n" : "stopping\n").getBytes(StandardCharsets.UTF_8));
    }

    private void connections(HttpExchange exchange) throws IOException {
        List<ConnectionInfo> open = server.openConnections();
        String query = exchange.getRequestURI().getQuery();
        if (query != null && query.contains("format=text")) {
            reply(exchange, 200, "text/plain; charset=utf-8", table(open).getBytes(StandardCharsets.UTF_8));
            return;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (JsonGenerator g = Json.FACTORY.createGenerator(body)) {
            g.writeStartObject();
            g.writeArrayFieldStart("connections");
            for (ConnectionInfo c : open) {
                writeConnection(g, c);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("peers");
            for (Map.Entry<String, long[]> e : byPeerIp(open).entrySet()) {
                g.writeStartObject();
                g.writeStringField("address", e.getKey());
                g.writeNumberField("connections", e.getValue()[0]);
                g.writeNumberField("bytes_in", e.getValue()[1]);
                g.writeNumberField("bytes_out", e.getValue()[2]);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        body.write('\n');
        reply(exchange, 200, "application/json", body.toByteArray());
    }

    private static void writeConnection(JsonGenerator g, ConnectionInfo c) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", c.id());
        g.writeStringField("listener", c.listener());
        g.writeStringField("peer", c.peer());
        g.writeStringField("socket_peer", c.socketPeer());
        g.writeNumberField("age_seconds", c.ageMillis() / 1000.0);
        g.writeNumberField("messages_in", c.messagesIn());
        g.writeNumberField("bytes_in", c.bytesIn());
        g.writeNumberField("messages_out", c.messagesOut());
        g.writeNumberField("bytes_out", c.bytesOut());
        g.writeBooleanField("authenticated", c.authenticated());
        if (c.keyId() != null) {
            g.writeStringField("key_id", c.keyId());
        }
        TcpInfo t = c.tcp();
        if (t != null) {
            g.writeObjectFieldStart("tcp");
            g.writeStringField("state", t.state());
            g.writeNumberField("rtt_us", t.rttMicros());
            g.writeNumberField("rttvar_us", t.rttVarMicros());
            g.writeNumberField("retransmits", t.retransmits());
            g.writeNumberField("total_retrans", t.totalRetrans());
            g.writeNumberField("unacked", t.unacked());
            g.writeNumberField("snd_cwnd", t.sndCwnd());
            g.writeNumberField("snd_mss", t.sndMss());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    /** Open connections, bytes in and bytes out per client IP address (the real one, behind a proxy). */
    static Map<String, long[]> byPeerIp(List<ConnectionInfo> open) {
        Map<String, long[]> peers = new TreeMap<>();
        for (ConnectionInfo c : open) {
            long[] sums = peers.computeIfAbsent(ipOf(c.peer()), k -> new long[3]);
            sums[0]++;
            sums[1] += c.bytesIn();
            sums[2] += c.bytesOut();
        }
        return peers;
    }

    /** {@code 127.0.0.5:4000} to {@code 127.0.0.5}, {@code [::1]:4000} to {@code ::1}; anything else unchanged. */
    static String ipOf(String peer) {
        if (peer.startsWith("[")) {
            int close = peer.indexOf(']');
            return close > 0 ? peer.substring(1, close) : peer;
        }
        int colon = peer.lastIndexOf(':');
        return colon > 0 ? peer.substring(0, colon) : peer;
    }

    static String table(List<ConnectionInfo> open) {
        StringWriter text = new StringWriter();
        PrintWriter w = new PrintWriter(text);
        w.printf(Locale.ROOT, "%-22s %-24s %-12s %8s %9s %11s %9s %11s %-4s %8s %8s %7s %5s%n",
                "PEER", "LISTENER", "STATE", "AGE", "MSGS-IN", "BYTES-IN", "MSGS-OUT", "BYTES-OUT", "AUTH",
                "RTT-us", "RTTVAR", "RETRANS", "CWND");
        for (ConnectionInfo c : open) {
            TcpInfo t = c.tcp();
            w.printf(Locale.ROOT, "%-22s %-24s %-12s %7.1fs %9d %11d %9d %11d %-4s %8s %8s %7s %5s%n",
                    c.peer(), c.listener(), t == null ? "-" : t.state(), c.ageMillis() / 1000.0,
                    c.messagesIn(), c.bytesIn(), c.messagesOut(), c.bytesOut(), c.authenticated() ? "yes" : "no",
                    t == null ? "-" : Long.toString(t.rttMicros()), t == null ? "-" : Long.toString(t.rttVarMicros()),
                    t == null ? "-" : Long.toString(t.totalRetrans()), t == null ? "-" : Long.toString(t.sndCwnd()));
        }
        w.printf(Locale.ROOT, "%d open%n", open.size());
        w.flush();
        return text.toString();
    }

    private static void reply(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Stops at once; a scrape in progress is cut off. */
    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Loaded on the first {@code /connections}, not at start. */
    private static final class Json {
        static final JsonFactory FACTORY = new JsonFactory();
    }
}
