package dev.jecho;

import dev.jecho.internal.transport.NettyTransport;
import dev.jecho.testing.Payloads;
import io.netty.channel.epoll.Epoll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Datagrams of the sizes that matter come back whole, on every transport. */
class DatagramSizesTest {

    static final int[] SIZES = {0, 1, 1024, 1025, 1472, 2048, 2049, 65507};

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"EPOLL", "IO_URING", "NIO"})
    void datagramsComeBackWholeUpToTheProtocolMaximum(Transport transport) throws Exception {
        assumeTrue(transport != Transport.EPOLL || Epoll.isAvailable(), "epoll not available");
        assumeTrue(NettyTransport.available(transport), transport.cliName() + " is not available here");
        try (JechoServer server = JechoServer.builder().udp("127.0.0.1", 0).transport(transport).service(Service.UPPER).start();
             DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            Endpoint udp = server.boundEndpoints().get(0);
            socket.setSoTimeout(2000);
            socket.setReceiveBufferSize(1 << 20);
            Random random = new Random(42);
            for (int size : SIZES) {
                byte[] message = Payloads.random(random, size, size);
                socket.send(new DatagramPacket(message, message.length, new InetSocketAddress(udp.host(), udp.port())));
                DatagramPacket reply = new DatagramPacket(new byte[70000], 70000);
                socket.receive(reply);
                assertThat(Arrays.copyOf(reply.getData(), reply.getLength()))
                        .as("reply to a %d-byte datagram", size)
                        .isEqualTo(Payloads.upper(message));
            }
            assertThat(server.stats().datagramsDropped()).isZero();
        }
    }
}
