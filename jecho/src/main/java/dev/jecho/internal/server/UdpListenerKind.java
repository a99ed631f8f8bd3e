package dev.jecho.internal.server;

import dev.jecho.Endpoint;
import dev.jecho.Keyring;
import dev.jecho.ListenerException;
import dev.jecho.ListenerRecorder;
import dev.jecho.internal.protocol.PipelineNames;
import dev.jecho.internal.protocol.datagram.ReplayWindows;
import dev.jecho.internal.transport.BindFailures;
import dev.jecho.internal.transport.InheritedSocket;
import dev.jecho.internal.transport.NettyTransport;
import dev.jecho.internal.transport.SocketOptions;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * UDP listeners: every source is answered by a {@link DatagramServiceHandler}, each datagram read whole into a
 * buffer one byte larger than the largest answered, at a rate per source. The buffer sizes are the socket's own
 * (a burst waits in SO_RCVBUF, or is dropped). No SO_REUSEADDR: on Linux it would let a second server share the
 * port silently.
 *
 * <p>With several event loops on a transport that offers SO_REUSEPORT (epoll, io_uring), a listener is one
 * socket per event loop, all bound to the same port (for port 0, the one the system chose for the first): the
 * kernel hashes each source address and port to one of them, so the loops share the datagrams and a source
 * stays with one loop. What is per listener stays per listener, shared by its sockets: the rate limit of a
 * source (a source's ports may land on different sockets), the metrics, the replay windows. So that the port
 * is still refused when another server has it (sockets with SO_REUSEPORT would join an existing group of the
 * same user silently), a plain socket binds it first, for a moment.
 */
public final class UdpListenerKind implements ListenerKind {

    private final ListenerContext context;
    private final SocketOptions sockets;
    private final UdpPolicy policy;
    private final List<Cidr> exempt;
    private final Keyring keys;
    /** One per key for all UDP listeners: a datagram replayed from one listener to another is refused there too. */
    private final ReplayWindows replayWindows;
    /** UDP listeners opened so far: listener {@code k} draws its faults from its own generator. */
    private int socketsOpened;

    /**
     * @param exempt sources exempt from the rate limit
     * @param keys   with a secret set, the keys datagrams must be tagged with; else null
     */
    public UdpListenerKind(ListenerContext context, SocketOptions sockets, UdpPolicy policy, List<Cidr> exempt, Keyring keys) {
        this.context = context;
        this.sockets = sockets;
        this.policy = policy;
        this.exempt = exempt;
        this.keys = keys;
        this.replayWindows = keys == null ? null : ReplayWindows.of(keys);
    }

    @Override
    public Endpoint open(Endpoint endpoint, Consumer<Channel> opened) throws ListenerException {
        SocketAddress address = context.inetAddress(endpoint);
        Serving serving = new Serving(endpoint);
        ChannelOption<Boolean> reusePort = context.transport().reusePort();
        Class<? extends Channel> datagrams = context.transport().datagramChannel();
        List<EventLoop> loops = new ArrayList<>();
        context.group().forEach(loop -> loops.add((EventLoop) loop));
        if (reusePort == null || loops.size() < 2) {
            return serving.bound(serving.faulted(ListenerContext.bind(endpoint, serving.bootstrap(context.group()).channel(datagrams), address, opened)));
        }
        InetSocketAddress at = new InetSocketAddress(((InetSocketAddress) address).getAddress(), freePort(endpoint, address));
        Channel first = null;
        for (EventLoop loop : loops) {
            Channel channel = serving.faulted(ListenerContext.bind(endpoint, serving.bootstrap(loop).channel(datagrams).option(reusePort, true), at, opened));
            first = first == null ? channel : first;
        }
        return serving.bound(first);
    }

    @Override
    public Endpoint adopt(InheritedSocket socket, Consumer<Channel> opened) throws ListenerException {
        Serving serving = new Serving(socket.endpoint());
        return serving.bound(serving.faulted(context.adopt(socket, serving.bootstrap(context.group()), opened)));
    }

    /**
     * The port to bind every socket of a listener to: the one asked for, or for port 0 one the system chooses;
     * either way one no other socket has (a socket without SO_REUSEPORT shares a port with none).
     */
    private static int freePort(Endpoint endpoint, SocketAddress address) throws ListenerException {
        try (DatagramSocket probe = new DatagramSocket(null)) {
            probe.setReuseAddress(false);
            probe.bind(address);
            return probe.getLocalPort();
        } catch (IOException e) {
            throw BindFailures.listenerException(endpoint, e);
        }
    }

    /** One listener's sockets: what they share (metrics, the rate limits of its sources), each its own handler. */
    private final class Serving {
        private final Endpoint endpoint;
        private final ListenerRecorder recorder;
        private final DatagramRateLimiter rateLimiter = policy.newRateLimiter();

        Serving(Endpoint endpoint) {
            this.endpoint = endpoint;
            this.recorder = context.recorderFor(endpoint);
        }

        Bootstrap bootstrap(EventLoopGroup group) {
            Bootstrap b = new Bootstrap()
                    .group(group)
                    .option(ChannelOption.ALLOCATOR, NettyTransport.buffers())
                    .option(ChannelOption.RCVBUF_ALLOCATOR, NettyTransport.datagramReceiveAllocator(policy.receiveBufferSize()))
                    .handler(new DatagramServiceHandler(context.service(), context.stats(), recorder, policy.receiveBufferSize(),
                            rateLimiter, exempt, keys, replayWindows));
            sockets.buffers(b::option);
            return b;
        }

        /** Each socket its own fault stage (its state is its loop's), with a generator of its own. */
        Channel faulted(Channel channel) {
            injectFaults(channel, recorder);
            return channel;
        }

        Endpoint bound(Channel channel) {
            Endpoint bound = endpoint.withPort(ListenerContext.port(channel));
            recorder.bound(bound.toString());
            return bound;
        }
    }

    /**
     * Puts the fault stage in front of the service while the server has datagram faults, and takes it out when
     * it has none (so a server without faults has no such stage), on the listener's own loop.
     */
    private void injectFaults(Channel channel, ListenerRecorder recorder) {
        FaultSet faults = context.faults();
        DatagramFaultHandler handler = new DatagramFaultHandler(faults, faults.datagramRandom(socketsOpened++), recorder);
        Runnable apply = () -> {
            boolean want = !faults.datagramFaults().isEmpty() && channel.isRegistered();
            boolean has = channel.pipeline().get(PipelineNames.FAULTS) != null;
            if (want && !has) {
                channel.pipeline().addFirst(PipelineNames.FAULTS, handler);
            } else if (!want && has) {
                channel.pipeline().remove(PipelineNames.FAULTS);
            }
        };
        // Waits (briefly) for the listener's loop, so that the next datagram after a change meets it.
        Runnable sync = () -> {
            if (channel.eventLoop().inEventLoop()) {
                apply.run();
            } else {
                channel.eventLoop().submit(apply).awaitUninterruptibly(2, TimeUnit.SECONDS);
            }
        };
        faults.onChange(sync);
        sync.run();
    }
}
