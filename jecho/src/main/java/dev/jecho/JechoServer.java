package dev.jecho;

import dev.jecho.internal.keys.SharedKey;
import dev.jecho.internal.transport.BindFailures;
import dev.jecho.internal.protocol.datagram.ReplayWindows;
import dev.jecho.internal.protocol.json.PartialMessageBudget;
import dev.jecho.internal.server.AcceptLimiter;
import dev.jecho.internal.server.ConnectionLog;
import dev.jecho.internal.server.ConnectionSweeper;
import dev.jecho.internal.server.ConnectionTracker;
import dev.jecho.internal.server.DatagramRateLimiter;
import dev.jecho.internal.server.DatagramServiceHandler;
import dev.jecho.internal.server.DrainHandler;
import dev.jecho.internal.server.OpenConnections;
import dev.jecho.internal.server.ServerCounters;
import dev.jecho.internal.server.SourceLimits;
import dev.jecho.internal.server.StreamChannelInitializer;
import dev.jecho.internal.server.StreamListener;
import dev.jecho.internal.server.TrustedProxies;
import dev.jecho.internal.server.UnixSocketFile;
import dev.jecho.internal.transport.NettyTransport;
import io.netty.bootstrap.AbstractBootstrap;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * A running jecho server: TCP, UDP and Unix-socket listeners on one event loop group, every client
 * served at once, within the limits of its {@link ServerConfig} (connection caps, per-source caps and
 * penalties, timeouts, the UDP rate limit). {@link #close()} stops it gracefully: new connections are
 * refused at once and open ones get their last replies, for at most the drain timeout.
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

    /** The largest UDP payload over IPv4 (the default {@code --max-datagram}). */
    public static final int MAX_DATAGRAM = ServerConfig.DEFAULT_MAX_DATAGRAM;

    /**
     * One read-size predictor configuration for every connection (Netty would make one per connection),
     * reading up to 16 times per wake-up as Netty's own default does (an allocator set by hand reads once).
     */
    private static final RecvByteBufAllocator STREAM_READS = new AdaptiveRecvByteBufAllocator().maxMessagesPerRead(16);

    private final ServerConfig config;
    private final NettyTransport transport;
    private final EventLoopGroup group;
    private final OpenConnections openConnections = new OpenConnections();
    private final ServerCounters stats = new ServerCounters(openConnections);
    private final ConnectionLog connectionLog;
    private final AcceptLimiter acceptLimiter;
    private final SourceLimits sourceLimits;
    private final List<Channel> listenerChannels = new ArrayList<>();
    private final List<Endpoint> bound = new ArrayList<>();
    private final List<Path> socketFiles = new ArrayList<>();
    private final List<Future<?>> sweeps = new ArrayList<>();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final MetricsRecorder recorder;
    private final TrustedProxies proxies;
    /** In JSON mode, what all connections together may hold in unfinished messages. */
    private final PartialMessageBudget partialMessages;
    /** One per key for all UDP listeners: a datagram replayed from one listener to another is refused there too. */
    private final ReplayWindows replayWindows;
    private volatile boolean hardStop;
    private volatile StopReport stopReport;

    private JechoServer(ServerConfig config) {
        this.config = config;
        this.transport = NettyTransport.select(config.transport());
        this.connectionLog = new ConnectionLog(config.logConnections());
        int maxConnections = AcceptLimiter.effectiveMax(config.maxConnections(), AcceptLimiter.openFileLimit());
        if (maxConnections < config.maxConnections()) {
            LOG.warn("max-connections lowered from {} to {}: the open-file limit is {} (raise it with ulimit -n)",
                    config.maxConnections(), maxConnections, AcceptLimiter.openFileLimit());
        }
        this.acceptLimiter = new AcceptLimiter(maxConnections, stats, connectionLog);
        this.sourceLimits = needsSourceLimits(config) ? new SourceLimits(config, new Random(), connectionLog) : null;
        this.proxies = config.proxyProtocol() ? TrustedProxies.of(config.trustedProxies()) : null;
        this.replayWindows = config.keys() == null ? null : ReplayWindows.of(config.keys());
        this.partialMessages = config.json() ? new PartialMessageBudget(config.effectiveMaxPartialBytes()) : null;
        this.recorder = config.recorder();
        this.group = transport.newGroup(config.effectiveIoThreads(), "jecho-io");
    }

    /**
     * Per-source state is kept only where some limit needs it (a handshake to fail, a TLS one included, or a
     * per-source cap); a plain echo server keeps none per connection.
     */
    static boolean needsSourceLimits(ServerConfig config) {
        return config.authenticates() || config.tls() != null || config.maxConnectionsPerIp() > 0;
    }

    /** jecho's version from the jar manifest, or {@code dev} when run from classes. */
    public static String version() {
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
        checkProtectedMode(config);
        JechoServer server = new JechoServer(config);
        try {
            for (Endpoint endpoint : config.listeners()) {
                server.open(endpoint);
            }
        } catch (ListenerException | RuntimeException e) {
            server.close();
            throw e;
        }
        server.group.next().scheduleAtFixedRate(server.connectionLog::reportSuppressed, 1, 1, TimeUnit.SECONDS);
        server.startSweeps();
        return server;
    }

    /**
     * Protected mode, as Redis has it: with no authentication, only loopback addresses may be bound unless
     * the operator says otherwise. An echo server open to a network is a free reflector and load target. A key
     * shorter than {@link SharedKey#MIN_LENGTH} bytes (only {@code --legacy-auth} accepts one, for the article's
     * public salt) counts as no authentication.
     */
    public static void checkProtectedMode(ServerConfig config) throws ListenerException {
        if (config.allowInsecure()) {
            return;
        }
        String unprotected;
        if (!config.authenticates()) {
            unprotected = "no secret is configured";
        } else if (config.keys().shortestKeyLength() < SharedKey.MIN_LENGTH) {
            // The article's salt (13 bytes) is printed in the article itself: a key anyone may know keeps no one out.
            unprotected = "the key is " + config.keys().shortestKeyLength() + " bytes, too short to protect anything";
        } else {
            return;
        }
        String remedy = config.authenticates() ? "use a key of at least " + SharedKey.MIN_LENGTH + " bytes" : "configure a secret";
        for (Endpoint endpoint : config.listeners()) {
            if (endpoint.kind() == Endpoint.Kind.UNIX) {
                continue; // a socket file of mode 0600: only its owner can connect
            }
            InetAddress address;
            try {
                address = InetAddress.getByName(endpoint.host());
            } catch (UnknownHostException e) {
                continue; // opening the listener reports it
            }
            if (!address.isLoopbackAddress()) {
                throw new ListenerException(endpoint, "protected mode: " + unprotected + ", so anyone who can reach "
                        + endpoint.address() + " could use this server (listen on 127.0.0.1 or [::1], " + remedy
                        + ", or pass --allow-insecure)", null);
            }
        }
    }

    /**
     * One idle and slow-client sweep per event loop, when either timeout is in force. (The handshake deadline
     * is each handshake handler's own timer.)
     */
    private void startSweeps() {
        if (config.idleTimeout().isZero() && config.slowClientTimeout().isZero()) {
            return;
        }
        long every = ConnectionSweeper.interval(config).toNanos();
        for (EventExecutor loop : group) {
            ConnectionSweeper sweeper = new ConnectionSweeper(loop, openConnections, stats, config);
            sweeps.add(loop.scheduleAtFixedRate(sweeper, every, every, TimeUnit.NANOSECONDS));
        }
    }

    private void open(Endpoint endpoint) throws ListenerException {
        SocketAddress address;
        try {
            address = transport.socketAddress(endpoint);
        } catch (IllegalArgumentException e) {
            throw BindFailures.listenerException(endpoint, e);
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
        AbstractBootstrap<?, ?> bootstrap;
        if (endpoint.kind() == Endpoint.Kind.UDP) {
            bootstrap = datagramBootstrap(listenerRecorder);
        } else {
            boolean tcp = endpoint.kind() == Endpoint.Kind.TCP;
            streamListener = new StreamListener(endpoint.kind().scheme(), endpoint.toString(), connectionLog, stats,
                    openConnections, listenerRecorder, !(tcp && config.proxyProtocol()));
            bootstrap = streamBootstrap(endpoint, streamListener);
        }
        if (endpoint.kind() == Endpoint.Kind.UNIX) {
            try {
                UnixSocketFile.bindPrivately(endpoint.path(), at -> bindListener(endpoint, bootstrap, transport.domainAddress(at)));
            } catch (ListenerException e) {
                throw e;
            } catch (IOException e) {
                throw new ListenerException(endpoint, e.getMessage(), e);
            }
            socketFiles.add(endpoint.path()); // only now: a file that appeared meanwhile is someone else's
            bound.add(endpoint);
        } else {
            Channel channel = bindListener(endpoint, bootstrap, address);
            bound.add(endpoint.withPort(((InetSocketAddress) channel.localAddress()).getPort()));
        }
        String boundName = bound.get(bound.size() - 1).toString();
        if (streamListener != null) {
            streamListener.bound(boundName);
        }
        listenerRecorder.bound(boundName);
        LOG.debug("listening on {}", bound.get(bound.size() - 1));
    }

    /** Binds a listener; once bound it is the server's to close, whatever happens next. */
    private Channel bindListener(Endpoint endpoint, AbstractBootstrap<?, ?> bootstrap, SocketAddress address)
            throws ListenerException {
        ChannelFuture bind = bootstrap.bind(address).awaitUninterruptibly();
        if (!bind.isSuccess()) {
            throw BindFailures.listenerException(endpoint, bind.cause());
        }
        listenerChannels.add(bind.channel());
        return bind.channel();
    }

    private ServerBootstrap streamBootstrap(Endpoint endpoint, StreamListener listener) {
        boolean tcp = endpoint.kind() == Endpoint.Kind.TCP;
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel(endpoint.kind()))
                .handler(acceptLimiter.gate(listener))
                .option(ChannelOption.SO_BACKLOG, config.backlog())
                .option(ChannelOption.ALLOCATOR, NettyTransport.BUFFERS)
                .childOption(ChannelOption.ALLOCATOR, NettyTransport.BUFFERS)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, STREAM_READS)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(config.writeBufferLow(), config.writeBufferHigh()))
                .childHandler(new StreamChannelInitializer(listener, config, tcp ? proxies : null, sourceLimits, partialMessages));
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
        // One byte more than the largest datagram answered: a datagram that fills it was larger, and is dropped.
        int receiveBuffer = config.maxDatagram() + 1;
        DatagramRateLimiter limiter = config.udpRate() > 0
                ? new DatagramRateLimiter(config.udpRate(), config.udpBurst(), config.udpRateSources())
                : null;
        // No SO_REUSEADDR on UDP: on Linux it would let a second server share the port silently.
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(transport.datagramChannel())
                .option(ChannelOption.ALLOCATOR, NettyTransport.BUFFERS)
                .option(ChannelOption.RCVBUF_ALLOCATOR, NettyTransport.datagramReceiveAllocator(receiveBuffer))
                .handler(new DatagramServiceHandler(config.service(), stats, listenerRecorder, receiveBuffer,
                        limiter, config.limitExempt(), config.keys(), replayWindows));
        if (config.receiveBufferSize() > 0) {
            b.option(ChannelOption.SO_RCVBUF, config.receiveBufferSize()); // a UDP burst waits here, or is dropped
        }
        if (config.sendBufferSize() > 0) {
            b.option(ChannelOption.SO_SNDBUF, config.sendBufferSize());
        }
        return b;
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


    /**
     * Each open stream connection, described on its own event loop: the list completes once every one has
     * answered, or after two seconds without those that have not. Never blocks the caller (the metrics loop).
     */
    public CompletableFuture<List<ConnectionInfo>> connections() {
        List<CompletableFuture<ConnectionInfo>> pending = new ArrayList<>();
        for (Channel channel : openConnections.snapshot()) {
            ConnectionTracker tracker = channel.pipeline().get(ConnectionTracker.class);
            if (tracker != null) {
                CompletableFuture<ConnectionInfo> described = new CompletableFuture<>();
                try {
                    channel.eventLoop().execute(() -> {
                        try {
                            described.complete(tracker.describe(channel));
                        } catch (RuntimeException e) {
                            described.completeExceptionally(e);
                        }
                    });
                } catch (RejectedExecutionException e) { // its event loop is shutting down
                    described.completeExceptionally(e);
                }
                pending.add(described);
            }
        }
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                .completeOnTimeout(null, 2, TimeUnit.SECONDS)
                .handle((all, failed) -> pending.stream()
                        .filter(f -> f.isDone() && !f.isCompletedExceptionally())
                        .map(CompletableFuture::join)
                        .toList());
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

    /** The {@code --max-connections} in force: the configured one, fitted below the open-file limit. */
    public int maxConnections() {
        return acceptLimiter.max();
    }

    /** What the stop did; null until the server has stopped. */
    public StopReport stopReport() {
        return stopReport;
    }

    /**
     * What a stop did: how many connections were open, how many had to be closed by the hard stop with
     * replies still unsent, and how many bytes the service read over the server's life.
     */
    public record StopReport(int connections, int hardClosed, long unsentReplyBytes, long bytesRead, Duration took) {

        /** One line for the log. */
        public String summary() {
            String drained = (connections - hardClosed) + " of " + connections + (connections == 1 ? " connection" : " connections")
                    + " drained in " + ConnectionLog.formatDuration(took.toNanos());
            String hard = hardClosed == 0
                    ? "every reply sent"
                    : hardClosed + " closed by the hard stop with " + unsentReplyBytes + " reply bytes unsent";
            return drained + ", " + hard + "; " + bytesRead + " bytes read in all";
        }
    }

    /**
     * The graceful stop ({@link #stop()}) with the configured drain timeout; returns when the server has
     * stopped.
     */
    @Override
    public void close() {
        stop();
    }

    /**
     * Stops accepting at once (listeners close, so new connections are refused), then lets every open
     * connection receive the replies to everything the server had read and a clean end of stream, for at
     * most {@code --drain-timeout}; whatever is still open then is closed (the hard stop: a client that
     * never reads). Returns when the server has stopped; a second call waits for the first.
     */
    public StopReport stop() {
        if (!closing.compareAndSet(false, true)) {
            terminated.join();
            return stopReport;
        }
        long started = System.nanoTime();
        acceptLimiter.stop();
        for (Channel channel : listenerChannels) {
            channel.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
        socketFiles.forEach(UnixSocketFile::delete);

        long deadline = started + config.drainTimeout().toNanos();
        Set<Channel> draining = new HashSet<>();
        while (!hardStop && System.nanoTime() - deadline < 0 && openConnections.size() > 0) {
            for (Channel ch : openConnections.channels()) { // again each time: one accepted just before the stop
                if (draining.add(ch)) {
                    ch.eventLoop().execute(() -> DrainHandler.begin(ch));
                }
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }

        List<Channel> left = openConnections.snapshot();
        long unsent = 0;
        for (Channel ch : left) {
            draining.add(ch);
            unsent += ServerCounters.pendingBytes(ch);
            String reason = config.drainTimeout().isZero() ? "server stopping"
                    : "hard stop: replies not delivered within " + ConnectionSweeper.text(config.drainTimeout());
            ch.eventLoop().execute(() -> {
                ConnectionTracker.setCloseReason(ch, reason);
                ch.close();
            });
        }
        long closedBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (openConnections.size() > 0 && System.nanoTime() - closedBy < 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        sweeps.forEach(f -> f.cancel(false));
        connectionLog.reportSuppressed();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        stopReport = new StopReport(draining.size(), left.size(), unsent, stats.bytesReadByClosedConnections(),
                Duration.ofNanos(System.nanoTime() - started));
        terminated.complete(null);
        return stopReport;
    }

    /**
     * Ends a stop in progress without waiting for the drain (a second Ctrl-C), or stops at once: open
     * connections are closed, replies still unsent are lost.
     */
    public StopReport stopNow() {
        hardStop = true;
        return stop();
    }
}
