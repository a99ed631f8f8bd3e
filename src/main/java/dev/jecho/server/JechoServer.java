package dev.jecho.server;

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
import java.util.concurrent.CompletableFuture;
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

    private JechoServer(ServerConfig config) {
        this.config = config;
        this.transport = NettyTransport.select(config.transport());
        this.group = transport.newGroup(config.ioThreads(), "jecho-io");
        this.connectionLog = new ConnectionLog(config.logConnections());
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
        ChannelFuture bind = switch (endpoint.kind()) {
            case TCP, UNIX -> streamBootstrap(endpoint).bind(address);
            case UDP -> datagramBootstrap().bind(address);
        };
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
        LOG.debug("listening on {}", bound.get(bound.size() - 1));
    }

    private ServerBootstrap streamBootstrap(Endpoint endpoint) {
        String label = endpoint.kind().scheme();
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel(endpoint.kind()))
                .option(ChannelOption.SO_BACKLOG, config.backlog())
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(config.writeBufferLow(), config.writeBufferHigh()))
                .childHandler(new StreamChannelInitializer(label, config, connectionLog, stats, openConnections));
        if (endpoint.kind() == Endpoint.Kind.TCP) {
            b.option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.SO_KEEPALIVE, true);
        }
        return b;
    }

    private Bootstrap datagramBootstrap() {
        // No SO_REUSEADDR on UDP: on Linux it would let a second server share the port silently.
        return new Bootstrap()
                .group(group)
                .channel(transport.datagramChannel())
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(DATAGRAM_RECEIVE_BUFFER))
                .handler(new DatagramServiceHandler(config.service(), stats, DATAGRAM_RECEIVE_BUFFER, config.keys()));
    }

    /** The listeners as bound: port 0 replaced by the port the system chose. Same order as configured. */
    public List<Endpoint> boundEndpoints() {
        return List.copyOf(bound);
    }

    /** The transport in use (never {@code AUTO}). */
    public Transport transport() {
        return transport.kind();
    }

    public ServerConfig config() {
        return config;
    }

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
        terminated.complete(null);
    }
}
