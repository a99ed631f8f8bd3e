package dev.jecho.metrics;

import dev.jecho.ConnectionInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The metrics port over real loopback sockets, spoken to byte by byte: what each path answers (status,
 * content type, body, HEAD, keep-alive, HTTP/1.0), and that no client can hold it.
 */
class MetricsHttpServerTest {

    private final PrometheusMetrics metrics = PrometheusMetricsSupport.withoutJvm();
    private volatile boolean accepting = true;
    private volatile CompletableFuture<List<ConnectionInfo>> open = CompletableFuture.completedFuture(List.of(
            new ConnectionInfo("abc", "tcp://127.0.0.1:7", "127.0.0.5:4000", "127.0.0.5:4000", 1500, 1, 12, 1, 12, null, null)));
    private final ServerView view = new ServerView() {
        @Override
        public boolean accepting() {
            return accepting;
        }

        @Override
        public CompletableFuture<List<ConnectionInfo>> openConnections() {
            return open;
        }
    };
    private final List<Socket> sockets = new ArrayList<>();
    private MetricsHttpServer http;

    @AfterEach
    void close() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        if (http != null) {
            http.close();
        }
    }

    private MetricsHttpServer start(MetricsHttpServer.Limits limits) throws IOException {
        http = MetricsHttpServer.start(new InetSocketAddress("127.0.0.1", 0), metrics, view, limits);
        return http;
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        sockets.add(s);
        s.connect(http.address(), 5000);
        s.setSoTimeout(10_000);
        return s;
    }

    @Test
    void everyPathAnswersAsBeforeOnOneKeptAliveConnection() throws Exception {
        start(MetricsHttpServer.Limits.DEFAULT);
        Socket s = connect();
        Response health = exchange(s, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(health.status).isEqualTo(200);
        assertThat(health.header("content-type")).isEqualTo("text/plain; charset=utf-8");
        assertThat(health.body).isEqualTo("ok\n");

        Response scrape = exchange(s, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(scrape.status).isEqualTo(200);
        assertThat(scrape.header("content-type")).startsWith("text/plain; version=0.0.4");
        assertThat(scrape.body).contains("jecho_accepting 1");

        Response open = exchange(s, "GET /metrics HTTP/1.1\r\nHost: x\r\nAccept: application/openmetrics-text\r\n\r\n");
        assertThat(open.header("content-type")).startsWith("application/openmetrics-text");
        assertThat(open.body).endsWith("# EOF\n");

        Response json = exchange(s, "GET /connections HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(json.status).isEqualTo(200);
        assertThat(json.header("content-type")).isEqualTo("application/json");
        assertThat(json.body).startsWith("{\"connections\":[{\"id\":\"abc\"").contains("\"peers\":[{\"address\":\"127.0.0.5\"");

        Response table = exchange(s, "GET /connections?format=text HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(table.header("content-type")).isEqualTo("text/plain; charset=utf-8");
        assertThat(table.body).startsWith("PEER").contains("127.0.0.5:4000").endsWith("1 open\n");

        Response root = exchange(s, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(root.body).isEqualTo("jecho: /metrics /health /connections\n");

        Response missing = exchange(s, "GET /nope?x=1 HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(missing.status).isEqualTo(404);
        assertThat(missing.body).isEqualTo("not found: /nope (try /metrics, /health or /connections)\n");

        Response post = exchange(s, "POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi");
        assertThat(post.status).isEqualTo(405);
        assertThat(post.header("allow")).isEqualTo("GET, HEAD");
        assertThat(post.body).isEqualTo("use GET\n");

        write(s, "HEAD /health HTTP/1.1\r\nHost: x\r\n\r\n");
        Response head = readHead(s.getInputStream());
        assertThat(head.status).isEqualTo(200);
        assertThat(head.header("content-length")).isEqualTo("3");
        assertThat(head.body).isEmpty();

        accepting = false;
        Response stopping = exchange(s, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(stopping.status).isEqualTo(503);
        assertThat(stopping.body).isEqualTo("stopping\n");
        assertThat(s.isClosed()).isFalse();
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderEvenWhenTheFirstWaitsForTheServer() throws Exception {
        start(MetricsHttpServer.Limits.DEFAULT);
        Socket s = connect();
        assertThat(exchange(s, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n").status).isEqualTo(200); // and kept alive
        CompletableFuture<List<ConnectionInfo>> slow = new CompletableFuture<>();
        open = slow;
        write(s, "GET /connections?format=text HTTP/1.1\r\nHost: x\r\n\r\nGET /health HTTP/1.1\r\nHost: x\r\n\r\n");
        Thread.sleep(100); // the /health behind it must not overtake it
        slow.complete(List.of());
        InputStream in = s.getInputStream();
        assertThat(read(in).body).isEqualTo(ConnectionsPage.table(List.of()));
        assertThat(read(in).body).isEqualTo("ok\n");
    }

    @Test
    void http10IsAnsweredAndClosedAndGarbageOrAHugeHeaderGets400() throws Exception {
        start(MetricsHttpServer.Limits.DEFAULT);
        Socket s = connect();
        write(s, "GET /health HTTP/1.0\r\n\r\n");
        InputStream in = s.getInputStream();
        Response r = read(in);
        assertThat(r.status).isEqualTo(200);
        assertThat(r.body).isEqualTo("ok\n");
        assertThat(in.read()).isEqualTo(-1);

        Socket g = connect();
        write(g, "garbage\r\n\r\n");
        Response bad = read(g.getInputStream());
        assertThat(bad.status).isEqualTo(400);
        assertThat(g.getInputStream().read()).isEqualTo(-1);

        Socket huge = connect();
        write(huge, "GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n");
        assertThat(read(huge.getInputStream()).status).as("a header over the codec's limit").isEqualTo(400);
    }

    // --- the stall of issue 12, item 13 ------------------------------------------------------------------------

    /**
     * 100 idle connections and 100 that send half a header line and then nothing: the JDK's HttpServer read
     * the first of those on its one thread with no timeout, and answered nobody for minutes. Here a health
     * check on a fresh connection is answered at once throughout, at most {@code maxConnections} of the
     * attackers are held, and those are closed by the deadline.
     */
    @Test
    void idleAndSlowHeaderConnectionsNeitherDelayTheHealthCheckNorStayOpen() throws Exception {
        Duration deadline = Duration.ofSeconds(4);
        int cap = 64;
        start(new MetricsHttpServer.Limits(deadline, deadline, cap));
        assertThat(exchange(connect(), "GET /health HTTP/1.1\r\nHost: x\r\n\r\n").status).isEqualTo(200); // warm, and kept
        List<Attacker> attackers = new ArrayList<>();
        try {
            for (int i = 0; i < 100; i++) {
                attackers.add(new Attacker(http.address(), null));
                attackers.add(new Attacker(http.address(), "GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: aaa"));
            }
            long attacked = System.nanoTime();
            List<Long> millis = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                long t0 = System.nanoTime();
                Socket probe = connect();
                write(probe, "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                Response r = read(probe.getInputStream());
                millis.add((System.nanoTime() - t0) / 1_000_000);
                assertThat(r.status).isEqualTo(200);
                assertThat(r.body).isEqualTo("ok\n");
            }
            assertThat(System.nanoTime() - attacked).as("the probes ran while the attackers could still be held")
                    .isLessThan(deadline.toNanos());
            assertThat(millis).as("each /health answer, ms").allMatch(ms -> ms < 1000);
            assertThat(median(millis)).as("median /health answer, ms, of %s", millis).isLessThan(100);

            awaitAllClosed(attackers, deadline.plusSeconds(10));
            List<Attacker> held = attackers.stream().filter(a -> a.life() >= deadline.toNanos() * 9 / 10).toList();
            assertThat(held).as("held until the deadline: at most the cap").hasSizeLessThanOrEqualTo(cap).isNotEmpty();
            assertThat(attackers).as("none outlived the deadline by much")
                    .allMatch(a -> a.life() < deadline.plusSeconds(3).toNanos());
            System.out.printf("metrics port under 100 idle + 100 slow-header connections: /health in %s ms;"
                            + " %d attackers held until the deadline (cap %d), %d closed at once to make room%n",
                    millis, held.size(), cap, attackers.size() - held.size());
        } finally {
            for (Attacker a : attackers) {
                a.channel.close();
            }
        }
    }

    @Test
    void aHeaderTrickledOneByteAtATimeIsCutOffAtTheDeadline() throws Exception {
        Duration deadline = Duration.ofMillis(1500);
        start(new MetricsHttpServer.Limits(deadline, Duration.ofSeconds(30), 8));
        Socket s = connect();
        long t0 = System.nanoTime();
        byte[] request = "GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        int sent = 0;
        try {
            for (; sent < request.length; sent++) {
                s.getOutputStream().write(request[sent]);
                Thread.sleep(100);
            }
        } catch (IOException closedByTheServer) {
            // expected
        }
        assertThat(s.getInputStream().read()).isEqualTo(-1);
        long life = System.nanoTime() - t0;
        assertThat(sent).as("bytes trickled before the close").isLessThan(request.length);
        assertThat(life).as("ns until the close: the deadline, not extended by the bytes")
                .isGreaterThan(deadline.toNanos() * 9 / 10).isLessThan(deadline.toNanos() + Duration.ofSeconds(3).toNanos());
    }

    @Test
    void pastTheCapANewConnectionClosesTheOldestWaitingOne() throws Exception {
        start(new MetricsHttpServer.Limits(Duration.ofSeconds(30), Duration.ofSeconds(30), 2));
        Socket oldest = connect();
        Socket second = connect();
        Socket probe = connect();
        write(probe, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(read(probe.getInputStream()).status).isEqualTo(200);
        assertThat(oldest.getInputStream().read()).as("the oldest, evicted").isEqualTo(-1);
        second.setSoTimeout(200);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> second.getInputStream().read())
                .as("the second, still open").isInstanceOf(SocketTimeoutException.class);
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    /** A connection that never completes a request; its close is noticed by polling, so each is timed on its own. */
    private static final class Attacker {
        final SocketChannel channel;
        final long openedAt = System.nanoTime();
        long closedAt;

        Attacker(InetSocketAddress server, String partial) throws IOException {
            channel = SocketChannel.open(server);
            if (partial != null) {
                channel.write(ByteBuffer.wrap(partial.getBytes(StandardCharsets.US_ASCII)));
            }
            channel.configureBlocking(false);
        }

        /** True once the server has closed it (end of stream, or a reset). */
        boolean closed() {
            if (closedAt == 0) {
                try {
                    if (channel.read(ByteBuffer.allocate(256)) < 0) {
                        closedAt = System.nanoTime();
                    }
                } catch (IOException reset) {
                    closedAt = System.nanoTime();
                }
            }
            return closedAt != 0;
        }

        long life() {
            return closedAt - openedAt;
        }
    }

    private static void awaitAllClosed(List<Attacker> attackers, Duration atMost) throws InterruptedException {
        long giveUp = System.nanoTime() + atMost.toNanos();
        while (!attackers.stream().allMatch(Attacker::closed)) {
            assertThat(System.nanoTime()).as("every attacker closed by the server").isLessThan(giveUp);
            Thread.sleep(10);
        }
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static void write(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static Response exchange(Socket s, String request) throws IOException {
        write(s, request);
        return read(s.getInputStream());
    }

    record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name);
        }
    }

    /** One response: status line, headers, and a body of Content-Length bytes. */
    private static Response read(InputStream in) throws IOException {
        Response r = readHead(in);
        int length = Integer.parseInt(r.header("content-length"));
        return new Response(r.status, r.headers, new String(in.readNBytes(length), StandardCharsets.UTF_8));
    }

    /** The status line and headers of one response (all there is of a response to HEAD). */
    private static Response readHead(InputStream in) throws IOException {
        String statusLine = line(in);
        assertThat(statusLine).startsWith("HTTP/1.1 ");
        int status = Integer.parseInt(statusLine.substring(9, 12));
        Map<String, String> headers = new LinkedHashMap<>();
        for (String l = line(in); !l.isEmpty(); l = line(in)) {
            int colon = l.indexOf(':');
            headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
        }
        return new Response(status, headers, "");
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c == -1) {
                throw new IOException("end of stream in a header: " + b);
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.US_ASCII);
    }
}
