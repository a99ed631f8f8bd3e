package dev.jecho;

import dev.jecho.internal.server.Authentication;
import dev.jecho.internal.server.Cidr;
import dev.jecho.internal.server.ConnectionLimits;
import dev.jecho.internal.server.EventLoops;
import dev.jecho.internal.server.JsonMessages;
import dev.jecho.internal.server.MaxStartups;
import dev.jecho.internal.protocol.json.PartialMessageBudget;
import dev.jecho.internal.server.PenaltyPolicy;
import dev.jecho.internal.server.ProxyProtocol;
import dev.jecho.internal.server.SourceLimits;
import dev.jecho.internal.server.SourcePrefix;
import dev.jecho.internal.server.StreamOptions;
import dev.jecho.internal.server.FaultSet;
import dev.jecho.internal.server.StreamPipeline;
import dev.jecho.internal.server.Timeouts;
import dev.jecho.internal.server.TrustedProxies;
import dev.jecho.internal.server.UdpPolicy;
import dev.jecho.internal.service.ServiceRules;
import dev.jecho.internal.transport.InheritedSocket;
import dev.jecho.internal.transport.SocketActivation;
import dev.jecho.internal.transport.SocketOptions;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything a {@link JechoServer} needs to start, as an immutable value. Every default lives here.
 *
 * <pre>{@code
 * ServerConfig config = ServerConfig.builder()
 *         .tcp("127.0.0.1", 0)
 *         .udp("127.0.0.1", 0)
 *         .service(Service.ECHO)
 *         .build();
 * }</pre>
 *
 * Each setting is the library's form of a {@code jecho server} option, and a value it cannot take is an
 * {@link IllegalArgumentException} from {@link Builder#build()} whose message names the option as the command
 * line spells it ({@code max-datagram must be 0-65527 bytes, got 70000}).
 */
public final class ServerConfig {

    /** The article's address. */
    private static final String DEFAULT_HOST = "127.0.0.1";
    private static final int DEFAULT_PORT = 8888;
    /**
     * The accept queue length of TCP and Unix listeners unless set: Linux's own default cap ({@code somaxconn}
     * since 5.4) and the C reference server's. 128 overflowed when a thousand clients connected at once: some
     * then waited seconds for the kernel's SYN retries, or sent their first request into a connection the
     * server never got (docs/benchmarks.md, "The accept queue").
     */
    public static final int DEFAULT_BACKLOG = 4096;
    /**
     * Netty's defaults: stop reading a connection above 64 KiB of unsent replies, resume below 32 KiB; this is
     * where reading resumes, unless set.
     */
    public static final int DEFAULT_WRITE_BUFFER_LOW = 32 * 1024;
    /** Reading a connection pauses above this many bytes of unsent replies, unless set. */
    public static final int DEFAULT_WRITE_BUFFER_HIGH = 64 * 1024;
    /** A load balancer sends its PROXY header at once; a connection that has not within this is closed. */
    private static final Duration DEFAULT_PROXY_HEADER_TIMEOUT = Duration.ofSeconds(3);

    /** Connections past this are closed at once (lowered at start to fit the open-file limit). */
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    /** Unauthenticated connections per source address (OpenSSH's PerSourceMaxStartups; it has no default). */
    public static final int DEFAULT_MAX_STARTUPS_PER_IP = 16;
    /** Redis's {@code timeout} is off by default; an echo server holding a file per idle client is not. */
    private static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration DEFAULT_SLOW_CLIENT_TIMEOUT = Duration.ofSeconds(30);
    /** OpenSSH's LoginGraceTime is 120 s for a person typing a password; a handshake is one round trip. */
    private static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(10);
    /** The largest UDP payload over IPv4. */
    public static final int DEFAULT_MAX_DATAGRAM = 65507;
    /** UDP datagrams answered per second per source, unless set. */
    public static final int DEFAULT_UDP_RATE = 200;
    /** The burst of UDP datagrams per source allowed above the rate, unless set. */
    public static final int DEFAULT_UDP_BURST = 400;
    /** The longest JSON message (one line, or one legacy value); longer gets an error and a close. */
    private static final int DEFAULT_MAX_LINE = 1024 * 1024;

    private final List<Endpoint> listeners;
    private final List<InheritedSocket> inherited;
    private final Service service;
    private final EventLoops eventLoops;
    private final boolean logConnections;
    private final MetricsRecorder recorder;
    private final boolean allowInsecure;
    private final StreamOptions streamOptions;
    private final SocketOptions socketOptions;
    private final ConnectionLimits limits;
    private final Timeouts timeouts;
    private final UdpPolicy udp;
    private final Authentication authentication;
    private final JsonMessages json;
    private final ServerTls tls;
    /** Null when TCP listeners take no PROXY header. */
    private final ProxyProtocol proxy;
    private final List<Fault> faults;
    /** Null: drawn at start. */
    private final Long faultSeed;

    /** Each group checks its own values as it is built; the rules that span groups are here. */
    private ServerConfig(Builder b) {
        this.authentication = new Authentication(b.keys, b.legacyAuth);
        boolean legacy = b.legacyAuth != null;
        // The article's server returns the JSON unchanged: legacy mode echoes unless a service is named.
        this.service = legacy && !b.serviceChosen ? Service.ECHO : b.service;
        this.inherited = List.copyOf(b.inherited);
        if (b.listeners.isEmpty() && !inherited.isEmpty()) {
            this.listeners = List.of(); // the supervisor's sockets replace the default listeners
        } else if (b.listeners.isEmpty()) {
            // The article's address; its legacy handshake has no UDP counterpart, nor has a service kept off UDP.
            this.listeners = legacy || !service.datagrams()
                    ? List.of(Endpoint.tcp(DEFAULT_HOST, DEFAULT_PORT))
                    : List.of(Endpoint.tcp(DEFAULT_HOST, DEFAULT_PORT), Endpoint.udp(DEFAULT_HOST, DEFAULT_PORT));
        } else {
            this.listeners = List.copyOf(b.listeners);
        }
        if (legacy && has(Endpoint.Kind.UDP)) {
            throw new IllegalArgumentException("--legacy-auth is for TCP and Unix sockets: the article's handshake has no UDP form");
        }
        ServiceRules.checkServer(service, allListeners(), b.json || legacy);
        if (b.proxyProtocol && b.trustedProxies.isEmpty() && has(Endpoint.Kind.TCP)) {
            // No default: any local process could name any client (and get it penalised, or claim an exempt address).
            throw new IllegalArgumentException("the PROXY protocol needs trusted proxies: which load balancers may name"
                    + " clients? (e.g. trustedProxies(List.of(\"127.0.0.1\")) when HAProxy runs on this host)");
        }
        ProxyProtocol proxyProtocol = new ProxyProtocol(b.trustedProxies, b.proxyHeaderTimeout);
        this.proxy = b.proxyProtocol ? proxyProtocol : null;
        this.eventLoops = new EventLoops(b.transport, b.ioThreads);
        this.logConnections = b.logConnections;
        this.recorder = b.recorder;
        this.allowInsecure = b.allowInsecure;
        this.streamOptions = new StreamOptions(b.backlog, b.writeBufferLow, b.writeBufferHigh);
        this.socketOptions = new SocketOptions(b.tcpNoDelay, b.keepAlive, b.receiveBufferSize, b.sendBufferSize);
        this.limits = new ConnectionLimits(b.maxConnections, b.maxConnectionsPerIp, b.maxStartups, b.maxStartupsPerIp,
                b.penalties, b.sourcePrefix, b.limitExempt);
        this.timeouts = new Timeouts(b.idleTimeout, b.slowClientTimeout, b.handshakeTimeout, b.drainTimeout);
        this.udp = new UdpPolicy(b.maxDatagram, b.udpRate, b.udpBurst);
        this.json = new JsonMessages(b.json || legacy, b.maxLine, b.maxPartialBytes);
        this.tls = b.tls;
        this.faults = List.copyOf(b.faults);
        this.faultSeed = b.faultSeed;
    }

    private boolean has(Endpoint.Kind kind) {
        return allListeners().stream().anyMatch(e -> e.kind() == kind);
    }

    /** The sockets handed over to serve (socket activation), before the listeners to open. */
    List<InheritedSocket> inheritedSockets() {
        return inherited;
    }

    /**
     * Every listener's endpoint: the sockets handed over (socket activation), then those to open.
     *
     * @return the endpoints, handed over first
     */
    public List<Endpoint> allListeners() {
        List<Endpoint> all = new ArrayList<>(inherited.size() + listeners.size());
        inherited.forEach(s -> all.add(s.endpoint()));
        all.addAll(listeners);
        return all;
    }

    /**
     * A builder with every default.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The listeners to open; with none given and no socket handed over, TCP and UDP on 127.0.0.1:8888.
     *
     * @return the endpoints, in the order given
     */
    public List<Endpoint> listeners() {
        return listeners;
    }

    /**
     * What each message gets back (default {@link Service#UPPER}, the tutorial's).
     *
     * @return the service
     */
    public Service service() {
        return service;
    }

    /**
     * Event loop threads: as configured, or by default one per two CPUs (at least one; docs/benchmarks.md says why).
     *
     * @return the number of threads
     */
    public int effectiveIoThreads() {
        return eventLoops.effectiveThreads();
    }

    /**
     * The TCP and Unix-socket accept queue length (the article used 5).
     *
     * @return its length
     */
    public int backlog() {
        return streamOptions.backlog();
    }

    /**
     * Reading a connection pauses when its unsent replies exceed this many bytes.
     *
     * @return bytes
     */
    public int writeBufferHigh() {
        return streamOptions.writeBufferHigh();
    }

    /**
     * TCP_NODELAY on accepted connections (default on: echoes go out at once, no Nagle delay).
     *
     * @return whether it is set
     */
    public boolean tcpNoDelay() {
        return socketOptions.tcpNoDelay();
    }

    /**
     * SO_KEEPALIVE on accepted connections (default on: dead peers are found, eventually).
     *
     * @return whether it is set
     */
    public boolean keepAlive() {
        return socketOptions.keepAlive();
    }

    /**
     * SO_RCVBUF for accepted connections and UDP listeners in bytes; 0 leaves the kernel's default (and its auto-tuning).
     *
     * @return bytes, or 0
     */
    public int receiveBufferSize() {
        return socketOptions.receiveBufferSize();
    }

    /**
     * SO_SNDBUF for accepted connections and UDP listeners in bytes; 0 leaves the kernel's default (and its auto-tuning).
     *
     * @return bytes, or 0
     */
    public int sendBufferSize() {
        return socketOptions.sendBufferSize();
    }

    /**
     * Whether TCP listeners expect a PROXY protocol header (v1 or v2) from a trusted load balancer.
     *
     * @return true when they do
     */
    public boolean proxyProtocol() {
        return proxy != null;
    }

    /**
     * The networks (CIDR) allowed to send PROXY headers, as given; none without the PROXY protocol.
     *
     * @return the networks
     */
    public List<String> trustedProxies() {
        return proxy == null ? List.of() : proxy.trusted().networks();
    }

    /**
     * How long a PROXY-protocol connection may take to send its whole header.
     *
     * @return the timeout
     */
    public Duration proxyHeaderTimeout() {
        return proxy == null ? DEFAULT_PROXY_HEADER_TIMEOUT : proxy.headerTimeout();
    }

    /**
     * The keys clients may authenticate with, or null when no secret is set.
     *
     * @return the keyring, or null
     */
    public Keyring keys() {
        return authentication.keys();
    }

    /**
     * The article's handshake instead of jecho's (client-only authentication, no protection), or null.
     *
     * @return its digest, or null for jecho's handshake (or none)
     */
    public LegacyDigest legacyAuth() {
        return authentication.legacy();
    }

    /**
     * JSON messages on stream listeners: JSON Lines, or with {@link #legacyAuth()} values back to back.
     *
     * @return true for JSON messages
     */
    public boolean json() {
        return json.enabled();
    }

    /**
     * The longest JSON message in bytes.
     *
     * @return bytes
     */
    public int maxLine() {
        return json.maxLine();
    }

    /**
     * The most bytes all connections together may hold in unfinished JSON messages: as configured, or a quarter
     * of Netty's direct-memory limit, at least {@link #maxLine()}. Past it, the connection whose message needs
     * more gets {@code server_busy} and is closed.
     *
     * @return bytes
     */
    public long effectiveMaxPartialBytes() {
        return json.effectiveMaxPartialBytes();
    }

    /**
     * At a graceful stop, how long connections get to receive their last replies before a hard stop.
     *
     * @return the timeout
     */
    public Duration drainTimeout() {
        return timeouts.drain();
    }

    /**
     * TLS on stream listeners, or null.
     *
     * @return the TLS, or null
     */
    public ServerTls tls() {
        return tls;
    }

    /**
     * The faults the server starts with ({@link JechoServer#faults()} changes them live).
     *
     * @return the faults, in the order given
     */
    public List<Fault> faults() {
        return faults;
    }

    /**
     * The seed the faults' random choices are drawn from.
     *
     * @return the seed given, or empty when the server draws one at start ({@link Faults#seed()} says which)
     */
    public java.util.OptionalLong faultSeed() {
        return faultSeed == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(faultSeed);
    }

    // The groups, for the server's parts; each takes only its own.

    EventLoops eventLoops() {
        return eventLoops;
    }

    boolean logConnections() {
        return logConnections;
    }

    MetricsRecorder recorder() {
        return recorder;
    }

    boolean allowInsecure() {
        return allowInsecure;
    }

    StreamOptions streamOptions() {
        return streamOptions;
    }

    SocketOptions socketOptions() {
        return socketOptions;
    }

    ConnectionLimits limits() {
        return limits;
    }

    Timeouts timeouts() {
        return timeouts;
    }

    UdpPolicy udp() {
        return udp;
    }

    Authentication authentication() {
        return authentication;
    }

    JsonMessages jsonMessages() {
        return json;
    }

    /** The PROXY protocol, or null when TCP listeners take no header. */
    ProxyProtocol proxy() {
        return proxy;
    }

    /** What the stream connections' pipelines are made of, with the server's per-source limits and budget. */
    StreamPipeline streamPipeline(SourceLimits sourceLimits, PartialMessageBudget partialMessages, FaultSet faults) {
        return new StreamPipeline(service, authentication, json, tls, timeouts.handshake(), sourceLimits, partialMessages, faults);
    }

    /**
     * Builds a {@link ServerConfig}; {@link #start()} builds and starts a server in one call. Values are checked
     * by {@link #build()}, except those in a syntax of their own ({@link #maxStartups}, {@link #penalties},
     * {@link #sourcePrefix}, {@link #limitExempt}, {@link #trustedProxies}), which are read when given.
     */
    public static final class Builder {
        private final List<Endpoint> listeners = new ArrayList<>();
        private final List<InheritedSocket> inherited = new ArrayList<>();
        private Service service = Service.UPPER;
        private Transport transport = Transport.AUTO;
        private int backlog = DEFAULT_BACKLOG;
        private int ioThreads;
        private boolean logConnections = true;
        private int writeBufferLow = DEFAULT_WRITE_BUFFER_LOW;
        private int writeBufferHigh = DEFAULT_WRITE_BUFFER_HIGH;
        private MetricsRecorder recorder = MetricsRecorder.NONE;
        private boolean proxyProtocol;
        private TrustedProxies trustedProxies = TrustedProxies.of(List.of());
        private Duration proxyHeaderTimeout = DEFAULT_PROXY_HEADER_TIMEOUT;
        private boolean tcpNoDelay = true;
        private boolean keepAlive = true;
        private int receiveBufferSize;
        private int sendBufferSize;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int maxConnectionsPerIp;
        private MaxStartups maxStartups = MaxStartups.DEFAULT;
        private int maxStartupsPerIp = DEFAULT_MAX_STARTUPS_PER_IP;
        private PenaltyPolicy penalties = PenaltyPolicy.DEFAULT;
        private SourcePrefix sourcePrefix = SourcePrefix.DEFAULT;
        private final List<Cidr> limitExempt = new ArrayList<>();
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private Duration slowClientTimeout = DEFAULT_SLOW_CLIENT_TIMEOUT;
        private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
        private Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;
        private int maxDatagram = DEFAULT_MAX_DATAGRAM;
        private int udpRate = DEFAULT_UDP_RATE;
        private int udpBurst = DEFAULT_UDP_BURST;
        private boolean allowInsecure;
        private boolean serviceChosen;
        private Keyring keys;
        private LegacyDigest legacyAuth;
        private boolean json;
        private int maxLine = DEFAULT_MAX_LINE;
        private long maxPartialBytes;
        private ServerTls tls;
        private final List<Fault> faults = new ArrayList<>();
        private Long faultSeed;

        private Builder() {
        }

        /**
         * Adds a listener (repeatable); with none, TCP and UDP on 127.0.0.1:8888.
         *
         * @param endpoint where to listen
         * @return this builder
         */
        public Builder listen(Endpoint endpoint) {
            listeners.add(Objects.requireNonNull(endpoint, "endpoint"));
            return this;
        }

        /**
         * Adds a TCP listener; port 0 picks a free port ({@link JechoServer#boundEndpoints()}).
         *
         * @param host an address or host name to bind
         * @param port the port, or 0
         * @return this builder
         */
        public Builder tcp(String host, int port) {
            return listen(Endpoint.tcp(host, port));
        }

        /**
         * Adds a UDP listener; port 0 picks a free port.
         *
         * @param host an address or host name to bind
         * @param port the port, or 0
         * @return this builder
         */
        public Builder udp(String host, int port) {
            return listen(Endpoint.udp(host, port));
        }

        /**
         * Adds a Unix-socket listener (mode 0600; a stale socket file is replaced).
         *
         * @param path the socket file
         * @return this builder
         */
        public Builder unix(Path path) {
            return listen(Endpoint.unix(path));
        }

        /**
         * Serves the listening sockets systemd handed this process (socket activation: {@code LISTEN_PID},
         * {@code LISTEN_FDS}, {@code LISTEN_FDNAMES}; TCP, UDP and Unix stream sockets), beside any listener
         * added; with them and no listener added, no default listener opens. Not socket-activated: nothing
         * changes. The sockets stay the supervisor's: a restarted server serves the connections that queued
         * meanwhile. Needs the epoll transport.
         *
         * @return this builder
         * @throws IllegalArgumentException when a descriptor handed over is no socket jecho can serve
         */
        public Builder systemdSockets() {
            for (SocketActivation.Handed handed : SocketActivation.handedToThisProcess()) {
                inheritedSocket(handed.fd(), handed.name());
            }
            return this;
        }

        /**
         * Serves a listening socket this process inherited open as descriptor {@code fd} (TCP, UDP or a Unix
         * stream socket, read from the socket), as {@link #systemdSockets()} does for each it is handed.
         *
         * @param fd the socket's file descriptor
         * @return this builder
         * @throws IllegalArgumentException when {@code fd} is no socket jecho can serve
         */
        public Builder inheritedSocket(int fd) {
            return inheritedSocket(fd, null);
        }

        private Builder inheritedSocket(int fd, String name) {
            try {
                inherited.add(InheritedSocket.inspect(fd, name));
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot serve the socket handed over as descriptor " + fd + ": "
                        + e.getMessage(), e);
            }
            return this;
        }

        /**
         * What each message gets back.
         *
         * @param service the service (default {@link Service#UPPER})
         * @return this builder
         */
        public Builder service(Service service) {
            this.service = Objects.requireNonNull(service, "service");
            this.serviceChosen = true;
            return this;
        }

        /**
         * The I/O transport; {@code AUTO} (default) takes epoll where it loads, else NIO.
         *
         * @param transport the transport
         * @return this builder
         */
        public Builder transport(Transport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /**
         * The accept queue length of TCP and Unix listeners, at least 1 (capped by the kernel's {@code somaxconn}).
         *
         * @param backlog its length (default 4096)
         * @return this builder
         */
        public Builder backlog(int backlog) {
            this.backlog = backlog;
            return this;
        }

        /**
         * Event loop threads; 0 (default) means one per two CPUs, see {@link ServerConfig#effectiveIoThreads()}.
         *
         * @param ioThreads the number, or 0
         * @return this builder
         */
        public Builder ioThreads(int ioThreads) {
            this.ioThreads = ioThreads;
            return this;
        }

        /**
         * Whether to log each connect and close (rate-limited); metrics count them either way.
         *
         * @param logConnections true (default) to log them
         * @return this builder
         */
        public Builder logConnections(boolean logConnections) {
            this.logConnections = logConnections;
            return this;
        }

        /**
         * The write buffer water marks, {@code 0 < low <= high}: reading pauses above {@code high} and resumes below {@code low}.
         *
         * @param low  bytes (default 32 KiB)
         * @param high bytes (default 64 KiB)
         * @return this builder
         */
        public Builder writeBufferWaterMarks(int low, int high) {
            this.writeBufferLow = low;
            this.writeBufferHigh = high;
            return this;
        }

        /**
         * Where the listeners report connections, messages, handshakes and drops (jecho-metrics has a Prometheus
         * recorder); it is called from the event loops, so it must be fast and must never throw.
         *
         * @param recorder the recorder (default {@link MetricsRecorder#NONE})
         * @return this builder
         */
        public Builder recorder(MetricsRecorder recorder) {
            this.recorder = Objects.requireNonNull(recorder, "recorder");
            return this;
        }

        /**
         * Sets the secret: clients must prove they hold one of these keys. Null: no authentication.
         *
         * @param keys the keys, or null
         * @return this builder
         */
        public Builder keys(Keyring keys) {
            this.keys = keys;
            return this;
        }

        /**
         * TCP listeners expect a PROXY protocol header (HAProxy v1 or v2) before any data, from the
         * {@link #trustedProxies trusted proxies} only (which must be given); connections without one are closed.
         *
         * @param proxyProtocol true to expect the header
         * @return this builder
         */
        public Builder proxyProtocol(boolean proxyProtocol) {
            this.proxyProtocol = proxyProtocol;
            return this;
        }

        /**
         * The networks allowed to send PROXY headers, e.g. {@code 10.0.0.0/8} or {@code 192.0.2.7}.
         *
         * @param cidrs the networks
         * @return this builder
         * @throws IllegalArgumentException for anything but IP addresses with optional prefix lengths
         */
        public Builder trustedProxies(List<String> cidrs) {
            this.trustedProxies = TrustedProxies.of(cidrs);
            return this;
        }

        /**
         * How long a PROXY-protocol connection may take to send its whole header (default 3 s; more than zero).
         *
         * @param timeout the timeout
         * @return this builder
         */
        public Builder proxyHeaderTimeout(Duration timeout) {
            this.proxyHeaderTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * TCP_NODELAY on accepted connections (default on).
         *
         * @param tcpNoDelay whether to set it
         * @return this builder
         */
        public Builder tcpNoDelay(boolean tcpNoDelay) {
            this.tcpNoDelay = tcpNoDelay;
            return this;
        }

        /**
         * SO_KEEPALIVE on accepted connections (default on).
         *
         * @param keepAlive whether to set it
         * @return this builder
         */
        public Builder keepAlive(boolean keepAlive) {
            this.keepAlive = keepAlive;
            return this;
        }

        /**
         * SO_RCVBUF and SO_SNDBUF of accepted connections and UDP listeners; 0 keeps the kernel's default and auto-tuning.
         *
         * @param receiveBufferSize bytes, or 0
         * @param sendBufferSize    bytes, or 0
         * @return this builder
         */
        public Builder socketBuffers(int receiveBufferSize, int sendBufferSize) {
            this.receiveBufferSize = receiveBufferSize;
            this.sendBufferSize = sendBufferSize;
            return this;
        }

        /**
         * Past this many open connections (at least 1) new ones are closed at once and counted (default 10,000).
         *
         * @param maxConnections the cap
         * @return this builder
         */
        public Builder maxConnections(int maxConnections) {
            this.maxConnections = maxConnections;
            return this;
        }

        /**
         * Open connections per source ({@link #sourcePrefix}); 0 (default) means no cap.
         *
         * @param maxConnectionsPerIp the cap, or 0
         * @return this builder
         */
        public Builder maxConnectionsPerIp(int maxConnectionsPerIp) {
            this.maxConnectionsPerIp = maxConnectionsPerIp;
            return this;
        }

        /**
         * The random-early-drop cap on unauthenticated connections, all sources together, in the syntax of
         * {@code --max-startups}: {@code START:RATE:FULL} (default {@code 128:30:256}), or one number for a hard cap.
         *
         * @param spec {@code START:RATE:FULL}, or {@code N}
         * @return this builder
         * @throws IllegalArgumentException with a message fit for a user
         */
        public Builder maxStartups(String spec) {
            this.maxStartups = MaxStartups.parse(spec);
            return this;
        }

        /**
         * Unauthenticated connections per source ({@link #sourcePrefix}); 0 means no cap.
         *
         * @param maxStartupsPerIp the cap (default 16), or 0
         * @return this builder
         */
        public Builder maxStartupsPerIp(int maxStartupsPerIp) {
            this.maxStartupsPerIp = maxStartupsPerIp;
            return this;
        }

        /**
         * The penalties per source, in the syntax of {@code --penalties}: {@code off}, or the keys to change,
         * e.g. {@code authfail:5s,max:1m} (keys: {@code authfail}, {@code timeout}, {@code refused},
         * {@code noauth}, {@code min}, {@code max}, {@code max-sources}).
         *
         * @param spec {@code off}, or {@code KEY:VALUE} pairs separated by commas
         * @return this builder
         * @throws IllegalArgumentException with a message fit for a user
         */
        public Builder penalties(String spec) {
            this.penalties = PenaltyPolicy.parse(spec);
            return this;
        }

        /**
         * The address block counted as one source, in the syntax of {@code --source-prefix}: {@code V4[:V6]} bits
         * (default {@code 24:64}; {@code 32:128} counts single addresses).
         *
         * @param spec {@code V4[:V6]}
         * @return this builder
         * @throws IllegalArgumentException with a message fit for a user
         */
        public Builder sourcePrefix(String spec) {
            this.sourcePrefix = SourcePrefix.parse(spec);
            return this;
        }

        /**
         * Adds an address or address block exempt from the per-source caps, the pre-authentication caps, the
         * penalties and the UDP rate limit (repeatable): {@code 10.1.2.0/24}, {@code 192.0.2.7}, {@code 2001:db8::/32}.
         *
         * @param block an address, or an address block in CIDR notation
         * @return this builder
         * @throws IllegalArgumentException with a message fit for a user
         */
        public Builder limitExempt(String block) {
            limitExempt.add(Cidr.parse(block));
            return this;
        }

        /**
         * Closes a connection that has sent nothing for this long. Zero disables it.
         *
         * @param idleTimeout the timeout (default 5 min), or zero
         * @return this builder
         */
        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = idleTimeout;
            return this;
        }

        /**
         * Closes a connection that has not read its replies (reading paused on its behalf) for this long. Zero
         * disables it.
         *
         * @param slowClientTimeout the timeout (default 30 s), or zero
         * @return this builder
         */
        public Builder slowClientTimeout(Duration slowClientTimeout) {
            this.slowClientTimeout = slowClientTimeout;
            return this;
        }

        /**
         * Speaks the article's handshake with this digest instead of jecho's (needs {@link #keys}); implies
         * JSON values back to back and, unless a service is set, the echo service.
         *
         * @param digest the digest, or null for jecho's handshake
         * @return this builder
         */
        public Builder legacyAuth(LegacyDigest digest) {
            this.legacyAuth = digest;
            return this;
        }

        /**
         * JSON Lines on stream listeners: each message one JSON value on its own line, its string values given to the service.
         *
         * @param json true for JSON messages
         * @return this builder
         */
        public Builder json(boolean json) {
            this.json = json;
            return this;
        }

        /**
         * The longest JSON message in bytes, at least 16.
         *
         * @param maxLine bytes (default 1 MiB)
         * @return this builder
         */
        public Builder maxLine(int maxLine) {
            this.maxLine = maxLine;
            return this;
        }

        /**
         * The most bytes all connections together may hold in unfinished JSON messages (at least
         * {@link #maxLine}); 0 (default): a quarter of Netty's direct-memory limit.
         *
         * @param maxPartialBytes bytes, or 0
         * @return this builder
         */
        public Builder maxPartialBytes(long maxPartialBytes) {
            this.maxPartialBytes = maxPartialBytes;
            return this;
        }

        /**
         * An absolute deadline from connect to authenticated, longer than zero; bytes do not extend it.
         *
         * @param handshakeTimeout the timeout (default 10 s)
         * @return this builder
         */
        public Builder handshakeTimeout(Duration handshakeTimeout) {
            this.handshakeTimeout = handshakeTimeout;
            return this;
        }

        /**
         * At a graceful stop, how long connections get to receive their last replies before a hard stop. Zero
         * closes every connection at once at a stop.
         *
         * @param drainTimeout the timeout (default 10 s), or zero
         * @return this builder
         */
        public Builder drainTimeout(Duration drainTimeout) {
            this.drainTimeout = drainTimeout;
            return this;
        }

        /**
         * The largest datagram answered, 0-65527 bytes; a larger one is dropped and counted, never answered truncated.
         *
         * @param maxDatagram bytes (default 65507)
         * @return this builder
         */
        public Builder maxDatagram(int maxDatagram) {
            this.maxDatagram = maxDatagram;
            return this;
        }

        /**
         * Datagrams per second per source ({@code 0}: no limit) and the burst allowed above it.
         *
         * @param perSecond datagrams per second per source (default 200), or 0
         * @param burst     datagrams above the rate (default 400)
         * @return this builder
         */
        public Builder udpRateLimit(int perSecond, int burst) {
            this.udpRate = perSecond;
            this.udpBurst = burst;
            return this;
        }

        /**
         * Turns protected mode off: non-loopback addresses may be bound without authentication.
         *
         * @param allowInsecure true to turn it off
         * @return this builder
         */
        public Builder allowInsecure(boolean allowInsecure) {
            this.allowInsecure = allowInsecure;
            return this;
        }

        /**
         * TLS on every stream listener (TCP and Unix sockets); null for none.
         *
         * @param tls the certificate and key, or null
         * @return this builder
         */
        public Builder tls(ServerTls tls) {
            this.tls = tls;
            return this;
        }

        /**
         * Adds a fault to inject (repeatable; one of the same name replaces the one before), for testing clients.
         *
         * @param fault the fault, e.g. {@code Fault.parse("latency=50ms,jitter=10ms")}
         * @return this builder
         */
        public Builder fault(Fault fault) {
            faults.add(Objects.requireNonNull(fault, "fault"));
            return this;
        }

        /**
         * The seed every random choice of the faults is drawn from; without one the server draws a seed at start.
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder faultSeed(long seed) {
            this.faultSeed = seed;
            return this;
        }

        /**
         * The immutable configuration; {@link #start()} builds and starts in one call.
         *
         * @return the configuration
         * @throws IllegalArgumentException for a value a setting cannot take, or settings that do not fit together
         */
        public ServerConfig build() {
            return new ServerConfig(this);
        }

        /**
         * Builds the configuration and starts a server with it.
         *
         * @return the running server
         * @throws ListenerException when a listener cannot be opened, or protected mode refuses an address
         * @throws IllegalArgumentException as {@link #build()}
         */
        public JechoServer start() throws ListenerException {
            return JechoServer.start(build());
        }
    }
}
