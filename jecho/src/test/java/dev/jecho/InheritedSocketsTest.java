package dev.jecho;

import dev.jecho.internal.transport.NettyTransport;
import dev.jecho.testing.RoundTrips;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.Socket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Listening sockets handed to the server open, as systemd's socket activation hands them over: the server reads
 * what each one is and serves it, instead of binding its own. (The process-level test, with a supervisor that
 * restarts the server under a stream of connects, is jecho-cli's SocketActivationTest.)
 */
class InheritedSocketsTest {

    @TempDir
    Path dir;

    /** Sockets made here and not handed to a server that closes them. */
    private final List<FileDescriptor> leftOpen = new ArrayList<>();

    @BeforeAll
    static void epoll() {
        assumeTrue(Epoll.isAvailable(), "socket activation needs epoll");
    }

    @org.junit.jupiter.api.AfterEach
    void closeLeftOpen() throws IOException {
        for (FileDescriptor fd : leftOpen) {
            if (fd.isOpen()) {
                fd.close();
            }
        }
    }

    @Test
    void servesInheritedTcpUdpAndUnixSocketsAndReportsWhereTheyAreBound() throws Exception {
        Socket tcp = listening(Socket.newSocketStream(), new InetSocketAddress("127.0.0.1", 0));
        Socket udp = Socket.newSocketDgram();
        udp.bind(new InetSocketAddress("127.0.0.1", 0));
        Path path = dir.resolve("activated.sock");
        Socket unix = listening(Socket.newSocketDomain(), new DomainSocketAddress(path.toFile()));
        Endpoint tcpAt = Endpoint.tcp("127.0.0.1", tcp.localAddress().getPort());
        Endpoint udpAt = Endpoint.udp("127.0.0.1", udp.localAddress().getPort());

        try (JechoServer server = JechoServer.builder()
                .inheritedSocket(tcp.intValue()).inheritedSocket(udp.intValue()).inheritedSocket(unix.intValue())
                .logConnections(false).start()) {
            assertThat(server.boundEndpoints()).as("the sockets handed over, and no default listener")
                    .containsExactly(tcpAt, udpAt, Endpoint.unix(path));
            assertThat(RoundTrips.tcp(tcpAt.inetSocketAddress(), "over tcp\n")).isEqualTo("OVER TCP\n");
            assertThat(RoundTrips.udp(udpAt.inetSocketAddress(), "over udp")).isEqualTo("OVER UDP");
            assertThat(RoundTrips.unix(path, "over unix\n")).isEqualTo("OVER UNIX\n");
        }
        assertThat(path).as("the socket file is the supervisor's: it stays for the next server").exists();
    }

    @Test
    void inheritedSocketsComeBeforeTheListenersGiven() throws Exception {
        Socket tcp = listening(Socket.newSocketStream(), new InetSocketAddress("127.0.0.1", 0));
        try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).inheritedSocket(tcp.intValue())
                .logConnections(false).start()) {
            assertThat(server.boundEndpoints()).hasSize(2);
            assertThat(server.boundEndpoints().get(0)).isEqualTo(Endpoint.tcp("127.0.0.1", tcp.localAddress().getPort()));
            for (Endpoint at : server.boundEndpoints()) {
                assertThat(RoundTrips.tcp(at.inetSocketAddress(), "both\n")).isEqualTo("BOTH\n");
            }
        }
    }

    @Test
    void aDescriptorThatIsNoListeningSocketIsRefusedByName() throws Exception {
        FileDescriptor[] pipe = FileDescriptor.pipe();
        leftOpen.add(pipe[0]);
        leftOpen.add(pipe[1]);
        assertThatThrownBy(() -> JechoServer.builder().inheritedSocket(pipe[0].intValue()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot serve the socket handed over as descriptor " + pipe[0].intValue()
                        + ": descriptor " + pipe[0].intValue() + " is not a socket");

        Socket unbound = Socket.newSocketStream();
        leftOpen.add(unbound);
        assertThatThrownBy(() -> JechoServer.builder().inheritedSocket(unbound.intValue()))
                .hasMessageEndingWith("socket " + unbound.intValue() + " is a stream socket that is not listening");
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"IO_URING", "NIO"})
    void onlyEpollTakesOverASocketAndTheErrorSaysSo(Transport transport) throws Exception {
        assumeTrue(NettyTransport.available(transport), transport.cliName() + " is not available here");
        Socket tcp = listening(Socket.newSocketStream(), new InetSocketAddress("127.0.0.1", 0));
        leftOpen.add(tcp);
        ServerConfig.Builder config = JechoServer.builder().inheritedSocket(tcp.intValue()).transport(transport);
        assertThatThrownBy(config::start)
                .isInstanceOf(ListenerException.class)
                .hasMessageContaining("needs the epoll transport, not " + transport.cliName() + " (use --transport epoll or auto)");
    }

    @Test
    void protectedModeHoldsForInheritedSocketsToo() throws Exception {
        Socket open = listening(Socket.newSocketStream(), new InetSocketAddress("0.0.0.0", 0));
        leftOpen.add(open);
        ServerConfig.Builder config = JechoServer.builder().inheritedSocket(open.intValue());
        assertThatThrownBy(config::start).isInstanceOf(ListenerException.class)
                .hasMessageContaining("protected mode: no secret is configured");
    }

    @Test
    void withoutSocketActivationSystemdSocketsChangesNothing() {
        // the test JVM was not socket-activated (LISTEN_PID, if set at all, names another process)
        assertThat(JechoServer.builder().systemdSockets().build().listeners())
                .containsExactly(Endpoint.tcp("127.0.0.1", 8888), Endpoint.udp("127.0.0.1", 8888));
    }

    private static Socket listening(Socket socket, java.net.SocketAddress at) throws IOException {
        socket.bind(at);
        socket.listen(16);
        return socket;
    }


}
