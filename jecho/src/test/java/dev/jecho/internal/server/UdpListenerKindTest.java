package dev.jecho.internal.server;

import dev.jecho.Endpoint;
import dev.jecho.ListenerException;
import dev.jecho.MetricsRecorder;
import dev.jecho.Service;
import dev.jecho.Transport;
import dev.jecho.internal.transport.NettyTransport;
import dev.jecho.internal.transport.SocketOptions;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A UDP listener with two event loops on a transport with SO_REUSEPORT: a socket per loop on one port, each
 * source answered by one of them, and what is per listener (a source's rate) still per listener.
 */
class UdpListenerKindTest {

    private final NettyTransport transport = NettyTransport.select(Transport.AUTO);
    private final EventLoopGroup group = transport.newGroup(2, "udp-listener-test");
    private final List<Channel> channels = new CopyOnWriteArrayList<>();
    private final List<DatagramSocket> clients = new ArrayList<>();
    private final ServerCounters stats = new ServerCounters(new OpenConnections());

    @AfterEach
    void close() {
        channels.forEach(Channel::close);
        clients.forEach(DatagramSocket::close);
        group.shutdownGracefully(0, 5, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    private Endpoint open(int rate, int burst, int port) throws ListenerException {
        ListenerContext context = new ListenerContext(group, transport, stats, MetricsRecorder.NONE, Service.UPPER, new FaultSet(1, List.of()));
        UdpListenerKind udp = new UdpListenerKind(context, new SocketOptions(true, true, 0, 0),
                new UdpPolicy(2048, rate, burst), List.of(), null);
        return udp.open(Endpoint.udp("127.0.0.1", port), channels::add);
    }

    /** Sends one datagram from each of {@code sources} new sockets (new source ports); returns the replies. */
    private List<String> sendFromEach(Endpoint to, int sources) throws Exception {
        InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), to.port());
        List<DatagramSocket> from = new ArrayList<>();
        for (int i = 0; i < sources; i++) {
            DatagramSocket client = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            clients.add(client);
            from.add(client);
            byte[] hello = ("hello " + i).getBytes(StandardCharsets.US_ASCII);
            client.send(new DatagramPacket(hello, hello.length, server));
        }
        // every datagram has been answered or refused once the counters say so; the replies are then on their way
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (stats.datagramsReceived() < sources && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        int answered = (int) (stats.datagramsReceived() - stats.datagramsRateLimited());
        List<String> replies = new ArrayList<>();
        for (DatagramSocket client : from) {
            if (replies.size() == answered) {
                break;
            }
            client.setSoTimeout(replies.isEmpty() ? 5000 : 1000);
            byte[] buf = new byte[64];
            DatagramPacket reply = new DatagramPacket(buf, buf.length);
            try {
                client.receive(reply);
                replies.add(new String(buf, 0, reply.getLength(), StandardCharsets.US_ASCII));
            } catch (SocketTimeoutException e) {
                // refused by the rate limit: no reply (waited for only while answered ones are missing)
            }
        }
        return replies;
    }

    @Test
    void aListenerOnPortZeroIsOneSocketPerLoopAllOnTheChosenPortAndEverySourceIsAnswered() throws Exception {
        Assumptions.assumeTrue(transport.reusePort() != null, "a transport with SO_REUSEPORT");
        Endpoint bound = open(0, 1, 0);

        assertThat(bound.port()).isPositive();
        assertThat(channels).hasSize(2);
        assertThat(channels).allSatisfy(ch -> assertThat(((InetSocketAddress) ch.localAddress()).getPort()).isEqualTo(bound.port()));
        assertThat(channels.get(0).eventLoop()).isNotSameAs(channels.get(1).eventLoop());
        // the kernel spreads 32 source ports over both sockets (all on one: 2 in 2^32): each socket answers its share
        List<String> replies = sendFromEach(bound, 32);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            expected.add("HELLO " + i);
        }
        assertThat(replies).containsExactlyElementsOf(expected);
    }

    @Test
    void aSourceHasOneRateWhicheverSocketItsDatagramsReach() throws Exception {
        Assumptions.assumeTrue(transport.reusePort() != null, "a transport with SO_REUSEPORT");
        // one token a second, four at once: 32 datagrams from one address (its ports spread over both sockets)
        // within well under a second get 4 replies, 5 if they straddle a refill; a bucket per socket would give ~8
        Endpoint bound = open(1, 4, 0);
        assertThat(sendFromEach(bound, 32)).hasSizeBetween(4, 5);
    }

    @Test
    void aPortAnotherSocketHoldsIsRefusedAsInUse() throws Exception {
        DatagramSocket holder = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        clients.add(holder);
        assertThatThrownBy(() -> open(0, 1, holder.getLocalPort()))
                .isInstanceOf(ListenerException.class)
                .hasMessageContaining("address already in use");
        assertThat(channels).isEmpty();
    }
}
