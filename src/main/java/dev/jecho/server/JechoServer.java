package dev.jecho.server;

import dev.jecho.metrics.ConnectionInfo;
import dev.jecho.metrics.ListenerRecorder;
import dev.jecho.metrics.MetricsHttpServer;
import dev.jecho.metrics.MetricsRecorder;
import dev.jecho.metrics.PrometheusMetrics;
import dev.jecho.metrics.ServerView;
import dev.jecho.transport.Endpoint;
import dev.jecho.transport.NettyTransport;
import dev.jecho.transport.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A running jecho server: TCP, UDP and Unix-socket listeners on one event loop group, every client
 * served at once.
 *
 * <pre>{@code
 * try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).start()) {
 *     Endpoint where = server.boundEndpoints().get(0);   // the port the system picked
 *     ...
 * }
 * }</pre>
 */
public final class JechoServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JechoServer.class);

    /** The largest UDP payload over IPv4; the receive buffer is larger than any UDP payload. */
    public static final int MAX_DATAGRAM = 65507;
    static final int DATAGRAM_RECEIVE_BUFFER = 65536;

    private final ServerConfig config;
    private final NettyTransport transport;
    private final EventLoopGroup group;
    private final OpenConnections openConnections = new OpenConnections();
    private final ServerStats stats = new ServerStats(openConnections);
    private final ConnectionLog connectionLog;
    private final List<Channel> listenerChannels = new ArrayList<>();
    private final List<Endpoint> bound = new ArrayList<>();
    private final List<Path> socketFiles = new ArrayList<>();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final PrometheusMetrics prometheus;
    private final MetricsRecorder recorder;
    private final TrustedProxies proxies;
    private MetricsHttpServer metricsHttp;

    private JechoServer(ServerConfig config) {
        this.config = config;
        this.transport = NettyTransport.select(config.transport());
        this.connectionLog = new ConnectionLog(config.logConnections());
        this.proxies = config.proxyProtocol() ? TrustedProxies.of(config.trustedProxies()) : null;
        this.prometheus = config.metrics() == null ? null
                : new PrometheusMetrics(version(), transport.kind().cliName(), this::accepting);
        this.recorder = prometheus == null ? MetricsRecorder.NONE : prometheus;
        this.group = transport.newGroup(config.ioThreads(), "jecho-io");
    }

    /** jecho's version from the jar manifest, or {@code dev} when run from classes. */
    static String version() {
        String v = JechoServer.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** A builder for the configuration; its {@code start()} starts the server. */
    public static ServerConfig.Builder builder() {
        return ServerConfig.builder();
    }

    /**
     * Opens every listener of the configuration. Either all of them are open when this returns, or none
     * is and the exception names the one that failed.
     */
    public static JechoServer start(ServerConfig config) throws ListenerException {
        JechoServer server = new JechoServer(config);
        try {
            for (Endpoint endpoint : config.listeners()) {
                server.open(endpoint);
            }
            if (server.prometheus != null) {
                server.openMetrics();
            }
        } catch (ListenerException | RuntimeException e) {
            server.close();
            throw e;
        }
        server.group.next().scheduleAtFixedRate(server.connectionLog::reportSuppressed, 1, 1, TimeUnit.SECONDS);
        return server;
    }

    private void open(Endpoint endpoint) throws ListenerException {
        SocketAddress address;
        try {
            address = transport.socketAddress(endpoint);
        } catch (IllegalArgumentException e) {
            throw ListenerException.fromBindFailure(endpoint, e);
        }
        if (address instanceof InetSocketAddress inet && inet.isUnresolved()) {
            throw new ListenerException(endpoint, "unknown host '" + endpoint.host() + "'", null);
        }
        if (endpoint.kind() == Endpoint.Kind.UNIX) {
            String problem = UnixSocketFile.prepare(endpoint.path());
            if (problem != null) {
                throw new ListenerException(endpoint, problem, null);
            }
        }
        ListenerRecorder listenerRecorder = recorder.listener(endpoint.toString(), config.service().cliName());
        StreamListener streamListener = null;
        ChannelFuture bind;
        if (endpoint.kind() == Endpoint.Kind.UDP) {
            bind = datagramBootstrap(listenerRecorder).bind(address);
        } else {
            boolean tcp = endpoint.kind() == Endpoint.Kind.TCP;
            streamListener = new StreamListener(endpoint.kind().scheme(), endpoint.toString(), connectionLog, stats,
                    openConnections, listenerRecorder, !(tcp && config.proxyProtocol()));
            bind = streamBootstrap(endpoint, streamListener).bind(address);
        }
        bind.awaitUninterruptibly();
        if (!bind.isSuccess()) {
            throw ListenerException.fromBindFailure(endpoint, bind.cause());
        }
        Channel channel = bind.channel();
        listenerChannels.add(channel);
        if (endpoint.kind() == Endpoint.Kind.UNIX) {
            socketFiles.add(endpoint.path());
            try {
                UnixSocketFile.restrictToOwner(endpoint.path());
            } catch (IOException e) {
                throw new ListenerException(endpoint, "cannot restrict the socket file to its owner: " + e.getMessage(), e);
            }
            bound.add(endpoint);
        } else {
            bound.add(endpoint.withPort(((InetSocketAddress) channel.localAddress()).getPort()));
        }
        String boundName = bound.get(bound.size() - 1).toString();
        if (streamListener != null) {
            streamListener.bound(boundName);
        }
        if (prometheus != null) {
            prometheus.bound(listenerRecorder, boundName);
        }
        LOG.debug("listening on {}", bound.get(bound.size() - 1));
    }

    private void openMetrics() throws ListenerException {
        Endpoint endpoint = config.metrics();
        InetSocketAddress address = endpoint.inetSocketAddress();
        if (address.isUnresolved()) {
            throw new ListenerException(endpoint, "unknown host '" + endpoint.host() + "'", null);
        }
        try {
            metricsHttp = MetricsHttpServer.start(address, prometheus, view());
        } catch (IOException e) {
            throw ListenerException.fromBindFailure(endpoint, e);
        }
        LOG.debug("metrics on http://{}/metrics", metricsAddress().map(Endpoint::address).orElse("?"));
    }

    private ServerBootstrap streamBootstrap(Endpoint endpoint, StreamListener listener) {
        boolean tcp = endpoint.kind() == Endpoint.Kind.TCP;
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel(endpoint.kind()))
                .option(ChannelOption.SO_BACKLOG, config.backlog())
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(config.writeBufferLow(), config.writeBufferHigh()))
                .childHandler(new StreamChannelInitializer(listener, config, tcp ? proxies : null));
        if (config.receiveBufferSize() > 0) {
            b.childOption(ChannelOption.SO_RCVBUF, config.receiveBufferSize());
        }
        if (config.sendBufferSize() > 0) {
            b.childOption(ChannelOption.SO_SNDBUF, config.sendBufferSize());
        }
        if (tcp) {
            b.option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, config.tcpNoDelay())
                    .childOption(ChannelOption.SO_KEEPALIVE, config.keepAlive());
        }
        return b;
    }

    private Bootstrap datagramBootstrap(ListenerRecorder listenerRecorder) {
        // No SO_REUSEADDR on UDP: on Linux it would let a second server share the port silently.
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(transport.datagramChannel())
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(DATAGRAM_RECEIVE_BUFFER))
                .handler(new DatagramServiceHandler(config.service(), stats, listenerRecorder, DATAGRAM_RECEIVE_BUFFER));
        if (config.receiveBufferSize() > 0) {
            b.option(ChannelOption.SO_RCVBUF, config.receiveBufferSize()); // a UDP burst waits here, or is dropped
        }
        if (config.sendBufferSize() > 0) {
            b.option(ChannelOption.SO_SNDBUF, config.sendBufferSize());
        }
        return b;
    }

    /** Where {@code /metrics} is served, with the port the system chose; empty when metrics are off. */
    public Optional<Endpoint> metricsAddress() {
        if (metricsHttp == null) {
            return Optional.empty();
        }
        return Optional.of(config.metrics().withPort(metricsHttp.address().getPort()));
    }

    /** True while the server accepts connections: every listener open and no stop begun. */
    public boolean accepting() {
        if (closing.get() || listenerChannels.isEmpty()) {
            return false;
        }
        for (Channel channel : listenerChannels) {
            if (!channel.isActive()) {
                return false;
            }
        }
        return true;
    }

    private ServerView view() {
        return new ServerView() {
            @Override
            public boolean accepting() {
                return JechoServer.this.accepting();
            }

            @Override
            public List<ConnectionInfo> openConnections() {
                return describeOpenConnections();
            }
        };
    }

    /** Each open stream connection, described on its own event loop; waits at most two seconds in all. */
    List<ConnectionInfo> describeOpenConnections() {
        List<Future<ConnectionInfo>> pending = new ArrayList<>();
        for (Channel channel : openConnections.snapshot()) {
            ConnectionTracker tracker = channel.pipeline().get(ConnectionTracker.class);
            if (tracker != null) {
                pending.add(channel.eventLoop().submit(() -> tracker.describe(channel)));
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        List<ConnectionInfo> out = new ArrayList<>(pending.size());
        for (Future<ConnectionInfo> f : pending) {
            try {
                out.add(f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (ExecutionException | TimeoutException e) {
                // closed meanwhile, or its event loop is busy: leave it out of this listing
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return out;
    }

    /** The listeners as bound: port 0 replaced by the port the system chose. Same order as configured. */
    public List<Endpoint> boundEndpoints() {
        return List.copyOf(bound);
    }

    /** The transport in use (never {@code AUTO}). */
    public Transport transport() {
        return transport.kind();
    }

    /** The configuration it was started with. */
    public ServerConfig config() {
        return config;
    }

    /** Live counts: open and accepted connections, datagrams received and dropped. */
    public ServerStats stats() {
        return stats;
    }

    /** Completes when the server has stopped. */
    public CompletableFuture<Void> terminationFuture() {
        return terminated;
    }

    /**
     * Stops accepting at once, closes every connection and releases the threads; returns within a couple
     * of seconds.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            terminated.join();
            return;
        }
        for (Channel channel : listenerChannels) {
            channel.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
        socketFiles.forEach(UnixSocketFile::delete);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        if (metricsHttp != null) {
            metricsHttp.close();
        }
        terminated.complete(null);
    }
}
