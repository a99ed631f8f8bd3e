package dev.jecho.metrics;

import dev.jecho.Endpoint;
import dev.jecho.JechoServer;
import dev.jecho.Service;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A thousand clients connecting at the same instant, against a server with the default settings: the accept
 * queue holds them all. With the old default backlog of 128 the kernel overflowed it thousands of times
 * (counted in {@code /proc/net/netstat}'s ListenOverflows, which the metrics export as
 * {@code jecho_kernel_tcp_listen_overflows_total}) and some clients waited seconds for SYN retries.
 */
class AcceptQueueTest {

    static final int CLIENTS = 1000;

    @Test
    void aThousandSimultaneousConnectsOverflowNothingWithTheDefaultBacklog() throws Exception {
        try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).service(Service.ECHO).logConnections(false).start();
             Selector selector = Selector.open()) {
            Endpoint endpoint = server.boundEndpoints().get(0);
            long overflowsBefore = listenOverflows();
            List<SocketChannel> clients = new ArrayList<>();
            try {
                for (int i = 0; i < CLIENTS; i++) { // all in flight at once: none waits for another's handshake
                    SocketChannel client = SocketChannel.open();
                    clients.add(client);
                    client.configureBlocking(false);
                    if (!client.connect(new InetSocketAddress(endpoint.host(), endpoint.port()))) {
                        client.register(selector, SelectionKey.OP_CONNECT);
                    }
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!selector.keys().isEmpty() && System.nanoTime() < deadline) {
                    selector.select(1000);
                    for (SelectionKey key : selector.selectedKeys()) {
                        if (((SocketChannel) key.channel()).finishConnect()) {
                            key.cancel();
                        }
                    }
                    selector.selectedKeys().clear();
                    selector.selectNow(); // flushes the cancelled keys out of keys()
                }
                assertThat(selector.keys()).as("connections still in progress after 30 s").isEmpty();
                // and each one was accepted: it is answered
                for (SocketChannel client : clients) {
                    client.configureBlocking(true);
                    client.write(ByteBuffer.wrap("hi".getBytes(StandardCharsets.US_ASCII)));
                }
                for (SocketChannel client : clients) {
                    client.socket().setSoTimeout(30_000);
                    ByteBuffer reply = ByteBuffer.allocate(2);
                    while (reply.hasRemaining() && client.read(reply) >= 0) {
                        // blocking: each read waits for bytes
                    }
                    assertThat(new String(reply.array(), StandardCharsets.US_ASCII)).isEqualTo("hi");
                }
            } finally {
                for (SocketChannel client : clients) {
                    client.close();
                }
            }
            assertThat(listenOverflows() - overflowsBefore).as("times the kernel found the accept queue full").isZero();
        }
    }

    /** TcpExt ListenOverflows for this network namespace, as the metrics read it. */
    private static long listenOverflows() {
        Long overflows = KernelNetstat.read(KernelNetstat.DEFAULT).get("ListenOverflows");
        assertThat(overflows).as("TcpExt ListenOverflows in " + KernelNetstat.DEFAULT).isNotNull();
        return overflows;
    }
}
