package dev.jecho.internal.server;

import dev.jecho.Endpoint;
import dev.jecho.ListenerRecorder;
import dev.jecho.internal.transport.NettyTransport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.ServerChannelRecvByteBufAllocator;

import java.net.SocketAddress;
import java.util.function.Consumer;

/**
 * What TCP and Unix-socket listeners have in common: the bootstrap of the connections they accept (the accept
 * cap at the listener, the queue, buffers, half-closure, backpressure, the pipeline) and each listener's
 * {@link StreamListener}.
 */
public final class StreamListeners {

    /**
     * The smallest read buffer a stream connection gets. Netty's read loop reads again whenever a read filled
     * its buffer (there may be more), and its adaptive predictor shrinks the buffer down to its minimum, 64
     * bytes by default: then every 64-byte message filled its buffer and cost a second read that found nothing
     * (EAGAIN; strace: 11 % of all reads at 100 connections). Above any small message's size, a short read
     * ends the loop at once, as the C servers' large buffers do. The buffer is pooled and lives only until
     * its bytes are written back.
     */
    static final int MIN_READ_BUFFER = 1024;

    /**
     * One read-size predictor configuration for every connection (Netty would make one per connection),
     * reading up to 16 times per wake-up as Netty's own default does (an allocator set by hand reads once);
     * Netty's adaptive policy in a smaller handle per connection ({@link StreamReads}).
     */
    static final RecvByteBufAllocator STREAM_READS = new StreamReads(MIN_READ_BUFFER, 2048, 64 * 1024, 16);

    /**
     * Up to 256 accepts per wake-up of a listener, as the C reference server does. Netty 4.2.18's epoll
     * listener accepted one: its "maybe more to read" test compares the accepted descriptor with 1 (strace: one
     * accept4 per epoll_wait), so with a thousand busy connections each further accept waited a whole turn
     * of the event loop, and a burst of connects sat in the accept queue for seconds, their first requests
     * unanswered (docs/benchmarks.md, "The accept queue"). Without that test, the loop ends when accept has
     * nothing more (EAGAIN) or at 256.
     */
    static final RecvByteBufAllocator ACCEPTS = new ServerChannelRecvByteBufAllocator().respectMaybeMoreData(false)
            .maxMessagesPerRead(256);

    private final ListenerContext context;
    private final OpenConnections open;
    private final ConnectionLog log;
    private final AcceptLimiter acceptLimiter;
    private final StreamOptions options;
    private final StreamPipeline pipeline;

    public StreamListeners(ListenerContext context, OpenConnections open, ConnectionLog log, AcceptLimiter acceptLimiter,
                           StreamOptions options, StreamPipeline pipeline) {
        this.context = context;
        this.open = open;
        this.log = log;
        this.acceptLimiter = acceptLimiter;
        this.options = options;
        this.pipeline = pipeline;
    }

    ListenerContext context() {
        return context;
    }

    /**
     * @param peerKnownAtConnect false when a PROXY protocol header names the client
     */
    StreamListener listener(Endpoint endpoint, ListenerRecorder recorder, boolean peerKnownAtConnect) {
        return new StreamListener(endpoint.kind().scheme(), endpoint.toString(), log, context.stats(), open, recorder,
                peerKnownAtConnect);
    }

    /**
     * A listener's bootstrap, but for what its kind adds and its channel (bound afresh, or adopted).
     *
     * @param proxy the PROXY protocol on a TCP listener behind a load balancer, else null
     */
    ServerBootstrap bootstrap(StreamListener listener, ProxyProtocol proxy) {
        return new ServerBootstrap()
                .group(context.group())
                .handler(acceptLimiter.gate(listener))
                .option(ChannelOption.SO_BACKLOG, options.backlog())
                .option(ChannelOption.RCVBUF_ALLOCATOR, ACCEPTS)
                .option(ChannelOption.ALLOCATOR, NettyTransport.buffers())
                .childOption(ChannelOption.ALLOCATOR, NettyTransport.buffers())
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, STREAM_READS)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, options.waterMark())
                .childHandler(new StreamChannelInitializer(listener, pipeline, proxy));
    }

    /** Binds a new listener socket of {@code kind} at {@code address}. */
    ListenerContext.Opener<ServerBootstrap> binding(Endpoint endpoint, SocketAddress address, Consumer<Channel> opened) {
        return b -> ListenerContext.bind(endpoint, b.channel(context.transport().serverChannel(endpoint.kind())), address, opened);
    }

    /** The listener is bound: its connections and metrics are named after the endpoint as bound from now on. */
    static Endpoint bound(Endpoint endpoint, StreamListener listener, ListenerRecorder recorder) {
        listener.bound(endpoint.toString());
        recorder.bound(endpoint.toString());
        return endpoint;
    }
}
