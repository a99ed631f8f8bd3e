package dev.jecho;

import dev.jecho.internal.protocol.json.PartialMessageBudget;
import dev.jecho.internal.server.AcceptLimiter;
import dev.jecho.internal.server.ConnectionLog;
import dev.jecho.internal.server.ConnectionSweeper;
import dev.jecho.internal.server.Drain;
import dev.jecho.internal.server.FaultSet;
import dev.jecho.internal.server.ListenerContext;
import dev.jecho.internal.server.Listeners;
import dev.jecho.internal.server.OpenConnections;
import dev.jecho.internal.server.ProtectedMode;
import dev.jecho.internal.server.ServerCounters;
import dev.jecho.internal.server.SourceLimits;
import dev.jecho.internal.server.StreamListeners;
import dev.jecho.internal.server.StreamPipeline;
import dev.jecho.internal.server.TcpListenerKind;
import dev.jecho.internal.server.UdpListenerKind;
import dev.jecho.internal.server.UnixListenerKind;
import dev.jecho.internal.transport.InheritedSocket;
import dev.jecho.internal.transport.NettyTransport;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

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

    private final ServerConfig config;
    private final NettyTransport transport;
    private final EventLoopGroup group;
    private final OpenConnections openConnections = new OpenConnections();
    private final ServerCounters stats = new ServerCounters(openConnections);
    private final ConnectionLog connectionLog;
    private final AcceptLimiter acceptLimiter;
    private final Listeners listeners;
    private final FaultSet faults;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private volatile Runnable stopSweeps = () -> { };
    private volatile boolean hardStop;
    private volatile StopReport stopReport;

    /** Wires the server's parts, each with its own part of the configuration; binds nothing yet. */
    private JechoServer(ServerConfig config) {
        this.config = config;
        this.transport = NettyTransport.select(config.eventLoops().transport());
        this.connectionLog = new ConnectionLog(config.logConnections());
        this.acceptLimiter = AcceptLimiter.fitted(config.limits().maxConnections(), stats, connectionLog);
        this.group = transport.newGroup(config.eventLoops().effectiveThreads(), "jecho-io");
        this.faults = new FaultSet(config.faultSeed().orElseGet(FaultSet::newSeed), config.faults());
        ListenerContext context = new ListenerContext(group, transport, stats, config.recorder(), config.service(), faults);
        StreamPipeline pipeline = config.streamPipeline(
                SourceLimits.forServer(config.limits(), config.authentication().enabled(), config.tls() != null, connectionLog),
                config.json() ? new PartialMessageBudget(config.effectiveMaxPartialBytes()) : null, faults);
        StreamListeners streams = new StreamListeners(context, openConnections, connectionLog, acceptLimiter,
                config.streamOptions(), pipeline);
        this.listeners = new Listeners(
                new TcpListenerKind(streams, config.socketOptions(), config.proxy()),
                new UnixListenerKind(streams, config.socketOptions()),
                new UdpListenerKind(context, config.socketOptions(), config.udp(), config.limits().exempt(), config.keys()));
    }

    /**
     * jecho's version.
     *
     * @return the version in the jar's manifest, or {@code dev} when run from classes
     */
    public static String version() {
        String v = JechoServer.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /**
     * A builder for the configuration; its {@code start()} starts the server.
     *
     * @return a new builder, every setting at its default
     */
    public static ServerConfig.Builder builder() {
        return ServerConfig.builder();
    }

    /**
     * Opens every listener of the configuration. Either all of them are open when this returns, or none
     * is and the exception names the one that failed.
     *
     * @param config the configuration
     * @return the running server
     * @throws ListenerException when a listener cannot be opened, or protected mode refuses an address
     */
    public static JechoServer start(ServerConfig config) throws ListenerException {
        ProtectedMode.check(config.allListeners(), config.authentication(), config.allowInsecure());
        JechoServer server = new JechoServer(config);
        try {
            for (InheritedSocket socket : config.inheritedSockets()) {
                server.listeners.adopt(socket);
            }
            for (Endpoint endpoint : config.listeners()) {
                server.listeners.open(endpoint);
            }
        } catch (ListenerException | RuntimeException e) {
            server.close();
            throw e;
        }
        server.group.next().scheduleAtFixedRate(server.connectionLog::reportSuppressed, 1, 1, TimeUnit.SECONDS);
        server.stopSweeps = ConnectionSweeper.startOn(server.group, server.openConnections, server.stats, config.timeouts());
        return server;
    }

    /**
     * Whether the server accepts connections.
     *
     * @return true while every listener is open and no stop has begun
     */
    public boolean accepting() {
        return !closing.get() && listeners.allOpen();
    }

    /** The open stream connections themselves: for the tests of this package that look at a connection's socket. */
    OpenConnections openConnections() {
        return openConnections;
    }

    /**
     * Each open stream connection, described on its own event loop: the list completes once every one has
     * answered, or after two seconds without those that have not. Never blocks the caller (the metrics loop).
     *
     * @return the open connections, once described
     */
    public CompletableFuture<List<ConnectionInfo>> connections() {
        return openConnections.describe();
    }

    /**
     * The listeners as bound: port 0 replaced by the port the system chose.
     *
     * @return the endpoints, in the order configured
     */
    public List<Endpoint> boundEndpoints() {
        return listeners.bound();
    }

    /**
     * The I/O transport in use.
     *
     * @return epoll, io_uring or NIO (never {@code AUTO})
     */
    public Transport transport() {
        return transport.kind();
    }

    /**
     * The configuration it was started with.
     *
     * @return the configuration
     */
    public ServerConfig config() {
        return config;
    }

    /**
     * The faults the server injects, for testing clients: those configured, changed live. A server without
     * faults has no fault stage at all.
     *
     * @return the live set
     */
    public Faults faults() {
        return faults;
    }

    /**
     * Live counts: open and accepted connections, refusals, timeouts, datagrams received and dropped.
     *
     * @return the counters
     */
    public ServerStats stats() {
        return stats;
    }

    /**
     * Completes when the server has stopped.
     *
     * @return the future
     */
    public CompletableFuture<Void> terminationFuture() {
        return terminated;
    }

    /**
     * What the stop did.
     *
     * @return the report, or null until the server has stopped
     */
    public StopReport stopReport() {
        return stopReport;
    }

    /**
     * What a stop did: how many connections were open, how many had to be closed by the hard stop with
     * replies still unsent, and how many bytes the service read over the server's life.
     *
     * @param connections      stream connections open when the stop began
     * @param hardClosed       of those, closed by the hard stop with replies unsent
     * @param unsentReplyBytes reply bytes those left unsent
     * @param bytesRead        bytes the service read over the server's life
     * @param took             how long the stop took
     */
    public record StopReport(int connections, int hardClosed, long unsentReplyBytes, long bytesRead, Duration took) {

        /**
         * One line for the log.
         *
         * @return e.g. {@code 3 of 3 connections drained in 12 ms, every reply sent; 4096 bytes read in all}
         */
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
     * Waits until every connection accepted before the listeners closed is registered, and so among the open
     * connections the drain serves: each event loop runs the tasks queued before this one first. Without it, one
     * accepted in the listener's last read could be left out and reset when the event loops stop.
     */
    private void awaitAcceptedRegistered() {
        for (EventExecutor loop : group) {
            loop.submit(() -> { }).awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
    }

    /**
     * Stops accepting at once (listeners close, so new connections are refused), then lets every open
     * connection receive the replies to everything the server had read and a clean end of stream, for at
     * most {@code --drain-timeout}; whatever is still open then is closed (the hard stop: a client that
     * never reads). Returns when the server has stopped; a second call waits for the first.
     *
     * @return what the stop did
     */
    public StopReport stop() {
        if (!closing.compareAndSet(false, true)) {
            terminated.join();
            return stopReport;
        }
        long started = System.nanoTime();
        // Listeners first: what they accepted until then is drained like any connection. Refusing it instead
        // (the limiter's stop) would reset a connection that, under socket activation, the next server serves.
        listeners.close();
        acceptLimiter.stop();
        awaitAcceptedRegistered();
        Drain.Outcome drained = new Drain(openConnections, config.drainTimeout()).run(started, () -> hardStop);
        stopSweeps.run();
        connectionLog.reportSuppressed();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        stopReport = new StopReport(drained.connections(), drained.hardClosed(), drained.unsentReplyBytes(),
                stats.bytesReadByClosedConnections(), Duration.ofNanos(System.nanoTime() - started));
        terminated.complete(null);
        return stopReport;
    }

    /**
     * Ends a stop in progress without waiting for the drain (a second Ctrl-C), or stops at once: open
     * connections are closed, replies still unsent are lost.
     *
     * @return what the stop did
     */
    public StopReport stopNow() {
        hardStop = true;
        return stop();
    }
}
