package dev.jecho.internal.bench;

import dev.jecho.internal.transport.NettyTransport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;

import java.net.SocketAddress;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens connections at a bounded pace: at most {@code maxInFlight} attempts at once (like the C load
 * generator's {@code --max-inflight}), the rest wait their turn, so a thousand connections do not arrive
 * as one burst that overflows the server's accept queue. Each attempt ends within the connect timeout.
 */
final class Connector {

    /** Something that wants a connection: it builds the pipeline and hears how the attempt ended. */
    interface Target {
        /** Adds the handlers of a new channel; called before it is registered or connected. */
        void initChannel(Channel channel);

        /** The attempt ended: {@code future} succeeded with an active channel or failed (the channel is closed). */
        void connectDone(ChannelFuture future);
    }

    private final Bootstrap bootstrap;
    private final SocketAddress address;
    private final int maxInFlight;
    private final Queue<Target> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final SocketAddress[] localAddresses;
    private final AtomicInteger nextLocal = new AtomicInteger();

    /**
     * @param localAddresses source addresses to take in turn (empty: the system picks), so that connection
     *                       churn to loopback is spread over several source IPs as the C load generator does
     */
    Connector(Bootstrap bootstrap, SocketAddress address, int maxInFlight, SocketAddress... localAddresses) {
        this.bootstrap = bootstrap;
        this.address = address;
        this.maxInFlight = maxInFlight;
        this.localAddresses = localAddresses;
    }

    void connect(Target target) {
        waiting.add(target);
        drain();
    }

    private void drain() {
        while (!waiting.isEmpty()) {
            int n = inFlight.get();
            if (n >= maxInFlight) {
                return;
            }
            if (!inFlight.compareAndSet(n, n + 1)) {
                continue;
            }
            Target target = waiting.poll();
            if (target == null) {
                inFlight.decrementAndGet();
                continue;
            }
            start(target);
        }
    }

    private void start(Target target) {
        ChannelFuture registered = bootstrap.register();
        Channel channel = registered.channel();
        NettyTransport.closeAtOnce(channel);
        target.initChannel(channel);
        registered.addListener(r -> {
            if (!r.isSuccess()) {
                finished(target, registered);
                return;
            }
            ChannelFuture connect = localAddresses.length == 0 ? channel.connect(address)
                    : channel.connect(address, localAddresses[Math.floorMod(nextLocal.getAndIncrement(), localAddresses.length)]);
            connect.addListener((ChannelFuture c) -> finished(target, c));
        });
    }

    private void finished(Target target, ChannelFuture future) {
        inFlight.decrementAndGet();
        if (!future.isSuccess()) {
            future.channel().close();
        }
        try {
            target.connectDone(future);
        } finally {
            drain();
        }
    }
}
