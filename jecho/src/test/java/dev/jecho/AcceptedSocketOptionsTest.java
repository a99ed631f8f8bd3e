package dev.jecho;

import dev.jecho.internal.transport.NettyTransport;
import dev.jecho.testing.StreamClient;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.Epoll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * TCP_NODELAY and SO_KEEPALIVE as an accepted connection's socket has them, on every transport: jecho sets on
 * each connection only what neither Netty nor the listener gave it already (SocketOptionsTest), so this is
 * what says they still arrive.
 */
class AcceptedSocketOptionsTest {

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"EPOLL", "IO_URING", "NIO"})
    void anAcceptedConnectionHasNoDelayAndKeepAliveByDefault(Transport transport) throws Exception {
        assumeAvailable(transport);
        try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).service(Service.ECHO)
                .transport(transport).start();
             StreamClient client = StreamClient.connect(server.boundEndpoints().get(0))) {
            Channel accepted = acceptedConnection(server, client);
            assertThat(accepted.config().getOption(ChannelOption.TCP_NODELAY)).as("TCP_NODELAY").isTrue();
            assertThat(accepted.config().getOption(ChannelOption.SO_KEEPALIVE)).as("SO_KEEPALIVE").isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"EPOLL", "IO_URING", "NIO"})
    void bothCanBeTurnedOff(Transport transport) throws Exception {
        assumeAvailable(transport);
        try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).service(Service.ECHO)
                .transport(transport).tcpNoDelay(false).keepAlive(false).start();
             StreamClient client = StreamClient.connect(server.boundEndpoints().get(0))) {
            Channel accepted = acceptedConnection(server, client);
            assertThat(accepted.config().getOption(ChannelOption.TCP_NODELAY)).as("TCP_NODELAY").isFalse();
            assertThat(accepted.config().getOption(ChannelOption.SO_KEEPALIVE)).as("SO_KEEPALIVE").isFalse();
        }
    }

    /** The server's side of one connection, once a round trip has shown it is open and registered. */
    private static Channel acceptedConnection(JechoServer server, StreamClient client) throws Exception {
        byte[] ping = "ping\n".getBytes(StandardCharsets.US_ASCII);
        client.write(ping);
        assertThat(client.read(ping.length)).isEqualTo(ping);
        assertThat(server.openConnections().snapshot()).hasSize(1);
        return server.openConnections().snapshot().get(0);
    }

    private static void assumeAvailable(Transport transport) {
        assumeTrue(transport != Transport.EPOLL || Epoll.isAvailable(), "epoll not available");
        assumeTrue(NettyTransport.available(transport), transport.cliName() + " is not available here");
    }
}
