package dev.jecho;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jecho.testing.Metered;
import dev.jecho.testing.Scrape;
import dev.jecho.testing.StreamClient;
import io.netty.channel.epoll.Epoll;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --metrics}: scraped during real traffic, the counters match the traffic sent, exactly. */
class MetricsEndpointTest {

    private static final int CONNECTIONS = 5;
    private static final int MESSAGES_PER_CONNECTION = 20;
    private static final int DATAGRAMS = 30;

    @Test
    void countersMatchTheTrafficSentWhileItFlowsAndAfter() throws Exception {
        try (JechoServer server = Metered.start(JechoServer.builder().tcp("127.0.0.1", 0).udp("127.0.0.1", 0)
                .service(Service.UPPER).logConnections(false))) {
            Endpoint tcp = server.boundEndpoints().get(0);
            Endpoint udp = server.boundEndpoints().get(1);
            String base = "http://" + Metered.address(server).address();

            List<StreamClient> clients = new ArrayList<>();
            long bytes = 0;
            try {
                for (int c = 0; c < CONNECTIONS; c++) {
                    clients.add(StreamClient.connect(tcp));
                }
                // Request, reply, next: each message is one read on the server, so messages count exactly.
                for (int i = 0; i < MESSAGES_PER_CONNECTION; i++) {
                    for (StreamClient client : clients) {
                        byte[] msg = ("message " + i + " of " + client.hashCode()).getBytes(StandardCharsets.US_ASCII);
                        assertThat(client.exchange(msg)).hasSize(msg.length);
                        bytes += msg.length;
                    }
                }
                Scrape during = Scrape.of(base + "/metrics");
                String[] l = {"listener", tcp.toString(), "service", "upper"};
                assertThat(during.count("jecho_connections_open", l)).isEqualTo(CONNECTIONS);
                assertThat(during.count("jecho_connections_accepted_total", l)).isEqualTo(CONNECTIONS);
                assertThat(during.count("jecho_messages_received_total", l)).isEqualTo(CONNECTIONS * MESSAGES_PER_CONNECTION);
                assertThat(during.count("jecho_messages_sent_total", l)).isEqualTo(CONNECTIONS * MESSAGES_PER_CONNECTION);
                assertThat(during.count("jecho_bytes_received_total", l)).isEqualTo(bytes);
                assertThat(during.count("jecho_bytes_sent_total", l)).isEqualTo(bytes);
                assertThat(during.count("jecho_processing_seconds_count", l)).isPositive()
                        .isLessThanOrEqualTo(CONNECTIONS * MESSAGES_PER_CONNECTION);
                assertThat(during.count("jecho_accepting")).isEqualTo(1);
                assertThat(during.text()).contains("jvm_memory_used_bytes").contains("netty_allocator_memory_used_bytes");

                connectionsListsEveryOpenConnection(base, tcp);
            } finally {
                for (StreamClient client : clients) {
                    client.close();
                }
            }

            long datagramBytes = datagrams(udp);

            Scrape after = awaitClosed(base, tcp, server);
            String[] l = {"listener", tcp.toString()};
            assertThat(after.count("jecho_connections_open", l)).isZero();
            assertThat(after.count("jecho_connections_accepted_total", l)).isEqualTo(CONNECTIONS);
            String[] u = {"listener", udp.toString(), "service", "upper"};
            assertThat(after.count("jecho_datagrams_received_total", u)).isEqualTo(DATAGRAMS + 1);
            assertThat(after.count("jecho_datagrams_sent_total", u)).isEqualTo(DATAGRAMS);
            assertThat(after.count("jecho_datagrams_dropped_total", "listener", udp.toString(), "reason", "loop_risk")).isEqualTo(1);
            assertThat(after.count("jecho_bytes_sent_total", u)).isEqualTo(datagramBytes);
        }
    }

    @Test
    void healthAnswers200WhileAcceptingAndTheServerStopsServingItWhenClosed() throws Exception {
        String base;
        try (JechoServer server = Metered.start(JechoServer.builder().tcp("127.0.0.1", 0))) {
            base = "http://" + Metered.address(server).address();
            HttpResponse<String> health = Scrape.get(base + "/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("ok\n");
            assertThat(server.accepting()).isTrue();
            assertThat(Scrape.get(base + "/nothing-here").statusCode()).isEqualTo(404);
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Scrape.get(base + "/health"))
                .isInstanceOf(java.io.IOException.class);
    }

    private static void connectionsListsEveryOpenConnection(String base, Endpoint tcp) throws Exception {
        HttpResponse<String> r = Scrape.get(base + "/connections");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode json = new ObjectMapper().readTree(r.body());
        assertThat(json.get("connections")).hasSize(CONNECTIONS);
        for (JsonNode c : json.get("connections")) {
            assertThat(c.get("listener").asText()).isEqualTo(tcp.toString());
            assertThat(c.get("peer").asText()).startsWith("127.0.0.1:");
            assertThat(c.get("messages_in").asLong()).isEqualTo(MESSAGES_PER_CONNECTION);
            assertThat(c.get("messages_out").asLong()).isEqualTo(MESSAGES_PER_CONNECTION);
            assertThat(c.get("bytes_in").asLong()).isEqualTo(c.get("bytes_out").asLong()).isPositive();
            assertThat(c.get("authenticated").asBoolean()).isFalse();
            if (Epoll.isAvailable()) {
                JsonNode tcpInfo = c.get("tcp");
                assertThat(tcpInfo.get("state").asText()).isEqualTo("ESTABLISHED");
                assertThat(tcpInfo.get("rtt_us").asLong()).isPositive();
                assertThat(tcpInfo.get("snd_cwnd").asLong()).isPositive();
            }
        }
        assertThat(json.get("peers")).singleElement().satisfies(p -> {
            assertThat(p.get("address").asText()).isEqualTo("127.0.0.1");
            assertThat(p.get("connections").asInt()).isEqualTo(CONNECTIONS);
        });
        String table = Scrape.get(base + "/connections?format=text").body();
        assertThat(table).startsWith("PEER").contains(CONNECTIONS + " open");
    }

    /** Sends DATAGRAMS datagrams that get replies, and one from the server's own port number that must not. */
    private static long datagrams(Endpoint udp) throws Exception {
        long bytes = 0;
        InetSocketAddress server = new InetSocketAddress(udp.host(), udp.port());
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            socket.setSoTimeout(5000);
            for (int i = 0; i < DATAGRAMS; i++) {
                byte[] msg = ("datagram " + i).getBytes(StandardCharsets.US_ASCII);
                socket.send(new DatagramPacket(msg, msg.length, server));
                DatagramPacket reply = new DatagramPacket(new byte[100], 100);
                socket.receive(reply);
                assertThat(reply.getLength()).isEqualTo(msg.length);
                bytes += msg.length;
            }
        }
        // Same port number as the server, on another loopback address: a reply could start an echo loop.
        try (DatagramSocket twin = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), udp.port()))) {
            twin.setSoTimeout(300);
            twin.send(new DatagramPacket(new byte[] {'x'}, 1, server));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> twin.receive(new DatagramPacket(new byte[10], 10)))
                    .isInstanceOf(SocketTimeoutException.class);
        }
        return bytes;
    }

    /** The clients closed their sockets; the server notices within moments. Bounded wait. */
    private static Scrape awaitClosed(String base, Endpoint tcp, JechoServer server) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (server.stats().openConnections() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return Scrape.of(base + "/metrics");
    }
}
