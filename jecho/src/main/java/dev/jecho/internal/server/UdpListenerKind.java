package dev.jecho.internal.server;

import dev.jecho.Endpoint;
import dev.jecho.Keyring;
import dev.jecho.ListenerException;
import dev.jecho.ListenerRecorder;
import dev.jecho.internal.protocol.PipelineNames;
import dev.jecho.internal.protocol.datagram.ReplayWindows;
import dev.jecho.internal.transport.InheritedSocket;
import dev.jecho.internal.transport.NettyTransport;
import dev.jecho.internal.transport.SocketOptions;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;

import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * UDP listeners: one channel answers every source ({@link DatagramServiceHandler}), each datagram read whole into
 * a buffer one byte larger than the largest answered, at a rate per source. The buffer sizes are the socket's own
 * (a burst waits in SO_RCVBUF, or is dropped). No SO_REUSEADDR: on Linux it would let a second server share the
 * port silently.
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
    private int opened;

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
        return serve(endpoint, b -> ListenerContext.bind(endpoint, b.channel(context.transport().datagramChannel()), address, opened));
    }

    @Override
    public Endpoint adopt(InheritedSocket socket, Consumer<Channel> opened) throws ListenerException {
        return serve(socket.endpoint(), b -> context.adopt(socket, b, opened));
    }

    private Endpoint serve(Endpoint endpoint, ListenerContext.Opener<Bootstrap> opener) throws ListenerException {
        ListenerRecorder recorder = context.recorderFor(endpoint);
        Bootstrap b = new Bootstrap()
                .group(context.group())
                .option(ChannelOption.ALLOCATOR, NettyTransport.BUFFERS)
                .option(ChannelOption.RCVBUF_ALLOCATOR, NettyTransport.datagramReceiveAllocator(policy.receiveBufferSize()))
                .handler(new DatagramServiceHandler(context.service(), context.stats(), recorder, policy.receiveBufferSize(),
                        policy.newRateLimiter(), exempt, keys, replayWindows));
        sockets.buffers(b::option);
        Channel channel = opener.open(b);
        injectFaults(channel, recorder);
        Endpoint bound = endpoint.withPort(ListenerContext.port(channel));
        recorder.bound(bound.toString());
        return bound;
    }

    /**
     * Puts the fault stage in front of the service while the server has datagram faults, and takes it out when
     * it has none (so a server without faults has no such stage), on the listener's own loop.
     */
    private void injectFaults(Channel channel, ListenerRecorder recorder) {
        FaultSet faults = context.faults();
        DatagramFaultHandler handler = new DatagramFaultHandler(faults, faults.datagramRandom(opened++), recorder);
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
