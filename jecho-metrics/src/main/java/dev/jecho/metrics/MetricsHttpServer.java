package dev.jecho.metrics;

import dev.jecho.Endpoint;
import dev.jecho.JechoServer;
import dev.jecho.ListenerException;
import dev.jecho.internal.transport.BindFailures;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The operator's HTTP port ({@code --metrics HOST:PORT}), served by Netty's HTTP codec on an event loop of
 * its own (one thread, never one of the server's):
 *
 * <ul>
 *   <li>{@code GET /metrics}: Prometheus text format (OpenMetrics when the scraper asks for it);</li>
 *   <li>{@code GET /health}: 200 {@code ok} while the server accepts connections, 503 once it is stopping;</li>
 *   <li>{@code GET /connections}: every open stream connection as JSON, with the kernel's TCP view where
 *       the transport has it; {@code ?format=text} for a table like {@code ss -ti}.</li>
 * </ul>
 *
 * No client can hold it, so that a health check always gets its answer: each connection must send a whole
 * request within {@link Limits#requestTimeout} of opening and the next within {@link Limits#keepAliveTimeout}
 * of a response, however it trickles its bytes ({@link HttpDeadline}); at most {@link Limits#maxConnections}
 * are open, a new one past that closing the oldest that is not being answered ({@link HttpConnectionCap});
 * and nothing waits on the loop ({@code /connections} asks the server's event loops without blocking).
 * Requests on one connection are answered in order, one at a time (HTTP/1.0 and 1.1, keep-alive, HEAD).
 */
public final class MetricsHttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsHttpServer.class);

    /** A request is a line and a few headers, no body: anything larger is refused by the aggregator (413). */
    static final int MAX_REQUEST_BODY = 8 * 1024;

    /**
     * How long a client may take and how many may be open.
     *
     * @param requestTimeout   from connect to a whole first request
     * @param keepAliveTimeout from a response to the whole next request on the same connection
     * @param maxConnections   open at once
     */
    record Limits(Duration requestTimeout, Duration keepAliveTimeout, int maxConnections) {
        static final Limits DEFAULT = new Limits(Duration.ofSeconds(10), Duration.ofSeconds(30), 64);
    }

    private final EventLoopGroup group;
    private final Channel listener;

    private MetricsHttpServer(EventLoopGroup group, Channel listener) {
        this.group = group;
        this.listener = listener;
    }

    /**
     * Serves {@code server}'s metrics (recorded by {@code metrics}, which the server was given as its recorder)
     * at {@code endpoint} (TCP; port 0 picks a free port, {@link #address()} tells which). Logs a warning when
     * other machines can reach it: {@code /connections} lists every client.
     *
     * @param endpoint where to listen (TCP)
     * @param metrics  the recorder the server was given
     * @param server   the server whose metrics, health and connections to serve
     * @return the running endpoint
     * @throws ListenerException naming the metrics listener when it cannot be bound
     */
    public static MetricsHttpServer start(Endpoint endpoint, PrometheusMetrics metrics, JechoServer server)
            throws ListenerException {
        if (endpoint.kind() != Endpoint.Kind.TCP) {
            throw new IllegalArgumentException("metrics are served over HTTP on TCP, not " + endpoint);
        }
        String name = listenerName(endpoint);
        InetSocketAddress address = endpoint.inetSocketAddress();
        if (address.isUnresolved()) {
            throw new ListenerException(name, endpoint, "unknown host '" + endpoint.host() + "'", null);
        }
        metrics.observe(server);
        MetricsHttpServer http;
        try {
            http = start(address, metrics, ServerView.of(server));
        } catch (IOException e) {
            throw BindFailures.listenerException(name, endpoint, e);
        }
        String exposed = exposure(endpoint.withPort(http.address().getPort()), address.getAddress());
        if (exposed != null) {
            LOG.warn(exposed);
        }
        return http;
    }

    /** How errors and warnings name the metrics listener: {@code metrics http://127.0.0.1:9100}. */
    static String listenerName(Endpoint endpoint) {
        return "metrics http://" + endpoint.address();
    }

    /**
     * The warning for a metrics port that other machines can reach, or null on loopback: {@code /connections}
     * lists every client's address and traffic, and nothing on the port asks who is asking.
     */
    static String exposure(Endpoint bound, InetAddress address) {
        if (address.isLoopbackAddress()) {
            return null;
        }
        return listenerName(bound) + " is reachable from other machines, and its /connections lists every client's"
                + " address (bind --metrics to 127.0.0.1 or [::1], or let a firewall keep it to your monitoring)";
    }

    /**
     * Binds and starts serving; port 0 picks a free port ({@link #address()} tells which).
     *
     * @param address where to listen
     * @param metrics the recorder to expose at {@code /metrics}
     * @param server  what {@code /health} and {@code /connections} ask
     * @return the running endpoint
     * @throws IOException when it cannot bind
     */
    public static MetricsHttpServer start(InetSocketAddress address, PrometheusMetrics metrics, ServerView server)
            throws IOException {
        return start(address, metrics, server, Limits.DEFAULT);
    }

    static MetricsHttpServer start(InetSocketAddress address, PrometheusMetrics metrics, ServerView server, Limits limits)
            throws IOException {
        // NIO: the metrics port needs nothing native, and one thread is all it uses.
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("jecho-metrics-http", true),
                NioIoHandler.newFactory());
        HttpConnectionCap cap = new HttpConnectionCap(limits.maxConnections());
        long requestNanos = limits.requestTimeout().toNanos();
        long keepAliveNanos = limits.keepAliveTimeout().toNanos();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 128)
                .option(ChannelOption.SO_REUSEADDR, true)
                // One request at a time: FlowControlHandler hands them out as MetricsRoutes asks for them.
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (!cap.admit(ch)) {
                            ch.close();
                            return;
                        }
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpServerKeepAliveHandler(),
                                new HttpObjectAggregator(MAX_REQUEST_BODY), new FlowControlHandler(),
                                new HttpDeadline(requestNanos, keepAliveNanos), new MetricsRoutes(metrics, server));
                    }
                });
        ChannelFuture bind = bootstrap.bind(address).awaitUninterruptibly();
        if (!bind.isSuccess()) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            Throwable cause = bind.cause();
            throw cause instanceof IOException io ? io : new IOException(cause.getMessage(), cause);
        }
        return new MetricsHttpServer(group, bind.channel());
    }

    /**
     * Where it listens.
     *
     * @return the bound address (with the port the system chose for port 0)
     */
    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** Stops at once; a scrape in progress is cut off. */
    @Override
    public void close() {
        listener.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
