package dev.jecho;

import dev.jecho.internal.server.Cidr;
import dev.jecho.internal.server.MaxStartups;
import dev.jecho.internal.server.PenaltyPolicy;
import dev.jecho.internal.server.SourcePrefix;
import dev.jecho.internal.server.TrustedProxies;
import dev.jecho.internal.service.ServiceRules;
import io.netty.util.internal.PlatformDependent;

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
 */
public final class ServerConfig {

    /** The article's address. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8888;
    public static final int DEFAULT_BACKLOG = 128;
    /** Netty's defaults: stop reading a connection above 64 KiB of unsent replies, resume below 32 KiB. */
    public static final int DEFAULT_WRITE_BUFFER_LOW = 32 * 1024;
    public static final int DEFAULT_WRITE_BUFFER_HIGH = 64 * 1024;
    /** A load balancer sends its PROXY header at once; a connection that has not within this is closed. */
    public static final Duration DEFAULT_PROXY_HEADER_TIMEOUT = Duration.ofSeconds(3);

    /** Connections past this are closed at once (lowered at start to fit the open-file limit). */
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    /** Unauthenticated connections per source address (OpenSSH's PerSourceMaxStartups; it has no default). */
    public static final int DEFAULT_MAX_STARTUPS_PER_IP = 16;
    /** Redis's {@code timeout} is off by default; an echo server holding a file per idle client is not. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);
    public static final Duration DEFAULT_SLOW_CLIENT_TIMEOUT = Duration.ofSeconds(30);
    /** OpenSSH's LoginGraceTime is 120 s for a person typing a password; a handshake is one round trip. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(10);
    /** The largest UDP payload over IPv4. */
    public static final int DEFAULT_MAX_DATAGRAM = 65507;
    /** The largest UDP payload over IPv6 without jumbograms. */
    public static final int MAX_DATAGRAM_LIMIT = 65527;
    public static final int DEFAULT_UDP_RATE = 200;
    public static final int DEFAULT_UDP_BURST = 400;
    /** Sources the UDP rate limiter tracks one by one; the rest share one bucket. */
    public static final int DEFAULT_UDP_RATE_SOURCES = 16_384;
    /** The longest JSON message (one line, or one legacy value); longer gets an error and a close. */
    public static final int DEFAULT_MAX_LINE = 1024 * 1024;
    /**
     * By default the unfinished JSON messages of all connections may hold this share of Netty's direct-memory
     * limit: the rest is left for replies, TLS and the allocator's own slack.
     */
    public static final int DEFAULT_PARTIAL_SHARE_OF_DIRECT_MEMORY = 4;

    private final List<Endpoint> listeners;
    private final Service service;
    private final Transport transport;
    private final int backlog;
    private final int ioThreads;
    private final boolean logConnections;
    private final int writeBufferLow;
    private final int writeBufferHigh;
    private final MetricsRecorder recorder;
    private final boolean proxyProtocol;
    private final List<String> trustedProxies;
    private final Duration proxyHeaderTimeout;
    private final boolean tcpNoDelay;
    private final boolean keepAlive;
    private final int receiveBufferSize;
    private final int sendBufferSize;
    private final int maxConnections;
    private final int maxConnectionsPerIp;
    private final MaxStartups maxStartups;
    private final int maxStartupsPerIp;
    private final PenaltyPolicy penalties;
    private final SourcePrefix sourcePrefix;
    private final List<Cidr> limitExempt;
    private final Duration idleTimeout;
    private final Duration slowClientTimeout;
    private final Duration handshakeTimeout;
    private final Duration drainTimeout;
    private final int maxDatagram;
    private final int udpRate;
    private final int udpBurst;
    private final int udpRateSources;
    private final boolean allowInsecure;
    private final Keyring keys;
    private final LegacyDigest legacyAuth;
    private final boolean json;
    private final int maxLine;
    private final long maxPartialBytes;
    private final ServerTls tls;

    private ServerConfig(Builder b) {
        if (b.legacyAuth != null && b.keys == null) {
            throw new IllegalArgumentException("the legacy handshake needs a key");
        }
        if (b.legacyAuth != null && b.listeners.stream().anyMatch(e -> e.kind() == Endpoint.Kind.UDP)) {
            throw new IllegalArgumentException("the article's legacy handshake is for TCP and Unix sockets, not UDP");
        }
        if (b.proxyProtocol && b.trustedProxies.isEmpty()
                && (b.listeners.isEmpty() || b.listeners.stream().anyMatch(e -> e.kind() == Endpoint.Kind.TCP))) {
            // No default: any local process could name any client (and get it penalised, or claim an exempt address).
            throw new IllegalArgumentException("the PROXY protocol needs trusted proxies: which load balancers may name"
                    + " clients? (e.g. trustedProxies(List.of(\"127.0.0.1\")) when HAProxy runs on this host)");
        }
        // The article's server returns the JSON unchanged: legacy mode echoes unless a service is named.
        this.service = b.legacyAuth != null && !b.serviceChosen ? Service.ECHO : b.service;
        if (b.listeners.isEmpty()) {
            // The article's address; its legacy handshake has no UDP counterpart, nor has a service kept off UDP.
            this.listeners = b.legacyAuth != null || !service.datagrams()
                    ? List.of(Endpoint.tcp(DEFAULT_HOST, DEFAULT_PORT))
                    : List.of(Endpoint.tcp(DEFAULT_HOST, DEFAULT_PORT), Endpoint.udp(DEFAULT_HOST, DEFAULT_PORT));
        } else {
            this.listeners = List.copyOf(b.listeners);
        }
        ServiceRules.checkServer(service, listeners, b.json || b.legacyAuth != null);
        this.transport = b.transport;
        this.backlog = b.backlog;
        this.ioThreads = b.ioThreads;
        this.logConnections = b.logConnections;
        this.writeBufferLow = b.writeBufferLow;
        this.writeBufferHigh = b.writeBufferHigh;
        this.recorder = b.recorder;
        this.proxyProtocol = b.proxyProtocol;
        this.trustedProxies = List.copyOf(b.trustedProxies);
        this.proxyHeaderTimeout = b.proxyHeaderTimeout;
        this.tcpNoDelay = b.tcpNoDelay;
        this.keepAlive = b.keepAlive;
        this.receiveBufferSize = b.receiveBufferSize;
        this.sendBufferSize = b.sendBufferSize;
        this.maxConnections = b.maxConnections;
        this.maxConnectionsPerIp = b.maxConnectionsPerIp;
        this.maxStartups = b.maxStartups;
        this.maxStartupsPerIp = b.maxStartupsPerIp;
        this.penalties = b.penalties;
        this.sourcePrefix = b.sourcePrefix;
        this.limitExempt = List.copyOf(b.limitExempt);
        this.idleTimeout = b.idleTimeout;
        this.slowClientTimeout = b.slowClientTimeout;
        this.handshakeTimeout = b.handshakeTimeout;
        this.drainTimeout = b.drainTimeout;
        this.maxDatagram = b.maxDatagram;
        this.udpRate = b.udpRate;
        this.udpBurst = b.udpBurst;
        this.udpRateSources = b.udpRateSources;
        this.allowInsecure = b.allowInsecure;
        this.keys = b.keys;
        this.legacyAuth = b.legacyAuth;
        this.json = b.json || b.legacyAuth != null;
        this.maxLine = b.maxLine;
        if (b.maxPartialBytes > 0 && b.maxPartialBytes < b.maxLine) {
            throw new IllegalArgumentException("max-partial-bytes (" + b.maxPartialBytes + ") must be at least max-line ("
                    + b.maxLine + "): one message of the longest kind must fit");
        }
        this.maxPartialBytes = b.maxPartialBytes;
        this.tls = b.tls;
    }

    /** A builder with every default. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.listeners.addAll(listeners);
        b.service = service;
        b.transport = transport;
        b.backlog = backlog;
        b.ioThreads = ioThreads;
        b.logConnections = logConnections;
        b.writeBufferLow = writeBufferLow;
        b.writeBufferHigh = writeBufferHigh;
        b.recorder = recorder;
        b.proxyProtocol = proxyProtocol;
        b.trustedProxies = trustedProxies;
        b.proxyHeaderTimeout = proxyHeaderTimeout;
        b.tcpNoDelay = tcpNoDelay;
        b.keepAlive = keepAlive;
        b.receiveBufferSize = receiveBufferSize;
        b.sendBufferSize = sendBufferSize;
        b.maxConnections = maxConnections;
        b.maxConnectionsPerIp = maxConnectionsPerIp;
        b.maxStartups = maxStartups;
        b.maxStartupsPerIp = maxStartupsPerIp;
        b.penalties = penalties;
        b.sourcePrefix = sourcePrefix;
        b.limitExempt.addAll(limitExempt);
        b.idleTimeout = idleTimeout;
        b.slowClientTimeout = slowClientTimeout;
        b.handshakeTimeout = handshakeTimeout;
        b.drainTimeout = drainTimeout;
        b.maxDatagram = maxDatagram;
        b.udpRate = udpRate;
        b.udpBurst = udpBurst;
        b.udpRateSources = udpRateSources;
        b.allowInsecure = allowInsecure;
        b.keys = keys;
        b.legacyAuth = legacyAuth;
        b.json = json;
        b.maxLine = maxLine;
        b.maxPartialBytes = maxPartialBytes;
        b.tls = tls;
        b.serviceChosen = true;
        return b;
    }

    /** The listeners; with none given, TCP and UDP on 127.0.0.1:8888. */
    public List<Endpoint> listeners() {
        return listeners;
    }

    /** What each message gets back (default {@link Service#UPPER}, the tutorial's). */
    public Service service() {
        return service;
    }

    /** The I/O transport asked for; {@link JechoServer#transport()} tells which one runs. */
    public Transport transport() {
        return transport;
    }

    /** The TCP and Unix-socket accept queue length (the article used 5). */
    public int backlog() {
        return backlog;
    }

    /** Event loop threads, as configured; 0 means the default, see {@link #effectiveIoThreads()}. */
    public int ioThreads() {
        return ioThreads;
    }

    /**
     * Event loop threads: as configured, or by default one per two CPUs (at least
     * one). Measured on 2 CPUs shared with the load generator (docs/benchmarks.md), one thread served
     * more requests and connections than two: the kernel's network stack and the clients need the other
     * CPU.
     */
    public int effectiveIoThreads() {
        return ioThreads > 0 ? ioThreads : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    /** Whether each connect and disconnect is logged (rate-limited) at INFO. */
    public boolean logConnections() {
        return logConnections;
    }

    /** Reading a connection resumes when its unsent replies drop below this many bytes. */
    public int writeBufferLow() {
        return writeBufferLow;
    }

    /** Reading a connection pauses when its unsent replies exceed this many bytes. */
    public int writeBufferHigh() {
        return writeBufferHigh;
    }

    /** What each listener tells about its connections and messages; {@link MetricsRecorder#NONE} by default. */
    public MetricsRecorder recorder() {
        return recorder;
    }

    /** Whether TCP listeners expect a PROXY protocol header (v1 or v2) from a trusted load balancer. */
    public boolean proxyProtocol() {
        return proxyProtocol;
    }

    /** The networks (CIDR) allowed to send PROXY headers; none by default, so the PROXY protocol needs them. */
    public List<String> trustedProxies() {
        return trustedProxies;
    }

    /** How long a PROXY-protocol connection may take to send its whole header. */
    public Duration proxyHeaderTimeout() {
        return proxyHeaderTimeout;
    }

    /** TCP_NODELAY on accepted connections (default on: echoes go out at once, no Nagle delay). */
    public boolean tcpNoDelay() {
        return tcpNoDelay;
    }

    /** SO_KEEPALIVE on accepted connections (default on: dead peers are found, eventually). */
    public boolean keepAlive() {
        return keepAlive;
    }

    /** SO_RCVBUF for accepted connections and UDP listeners in bytes; 0 leaves the kernel's default (and its auto-tuning). */
    public int receiveBufferSize() {
        return receiveBufferSize;
    }

    /** SO_SNDBUF for accepted connections and UDP listeners in bytes; 0 leaves the kernel's default (and its auto-tuning). */
    public int sendBufferSize() {
        return sendBufferSize;
    }

    /** Open stream connections (TCP and Unix, all listeners) past which new ones are closed at once. */
    public int maxConnections() {
        return maxConnections;
    }

    /** Open connections per source ({@link #sourcePrefix()}); 0 means no cap. */
    public int maxConnectionsPerIp() {
        return maxConnectionsPerIp;
    }

    /** The random-early-drop cap on unauthenticated connections, all sources together. */
    public MaxStartups maxStartups() {
        return maxStartups;
    }

    /** Unauthenticated connections per source ({@link #sourcePrefix()}); 0 means no cap. */
    public int maxStartupsPerIp() {
        return maxStartupsPerIp;
    }

    /** Penalties per source ({@link #sourcePrefix()}). */
    public PenaltyPolicy penalties() {
        return penalties;
    }

    /**
     * The address block counted as one source by the per-source caps and the penalties (default a /24 or a
     * /64). The UDP rate limit and {@link #limitExempt()} go by single addresses.
     */
    public SourcePrefix sourcePrefix() {
        return sourcePrefix;
    }

    /** Sources exempt from the per-source caps, the pre-authentication caps, penalties and the UDP rate limit. */
    public List<Cidr> limitExempt() {
        return limitExempt;
    }

    /** A connection that sent nothing and has nothing left to receive for this long is closed; zero: never. */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** A connection whose replies could not be sent for this long (the client does not read) is closed; zero: never. */
    public Duration slowClientTimeout() {
        return slowClientTimeout;
    }

    /**
     * Whether a secret is set: stream clients must authenticate (the jecho handshake, or the article's with
     * {@link #legacyAuth()}) and UDP datagrams must carry a valid tag.
     */
    public boolean authenticates() {
        return keys != null;
    }

    /** The keys clients may authenticate with, or null when no secret is set. */
    public Keyring keys() {
        return keys;
    }

    /** The article's handshake instead of jecho's (client-only authentication, no protection), or null. */
    public LegacyDigest legacyAuth() {
        return legacyAuth;
    }

    /** JSON messages on stream listeners: JSON Lines, or with {@link #legacyAuth()} values back to back. */
    public boolean json() {
        return json;
    }

    /** The longest JSON message in bytes. */
    public int maxLine() {
        return maxLine;
    }

    /** The most bytes all connections together may hold in unfinished JSON messages, as configured; 0: the default. */
    public long maxPartialBytes() {
        return maxPartialBytes;
    }

    /**
     * The most bytes all connections together may hold in unfinished JSON messages: as configured, or a
     * {@link #DEFAULT_PARTIAL_SHARE_OF_DIRECT_MEMORY quarter} of Netty's direct-memory limit, at least
     * {@link #maxLine()}. Past it, the connection whose message needs more gets {@code server_busy} and is closed.
     */
    public long effectiveMaxPartialBytes() {
        return maxPartialBytes > 0 ? maxPartialBytes
                : Math.max(maxLine, PlatformDependent.maxDirectMemory() / DEFAULT_PARTIAL_SHARE_OF_DIRECT_MEMORY);
    }

    /** An absolute deadline from connect to authenticated; bytes do not extend it. */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** At a graceful stop, how long connections get to receive their last replies before a hard stop. */
    public Duration drainTimeout() {
        return drainTimeout;
    }

    /** The largest datagram answered; one that is larger is dropped and counted, never answered truncated. */
    public int maxDatagram() {
        return maxDatagram;
    }

    /** Datagrams per second answered per source address; 0 means no limit. */
    public int udpRate() {
        return udpRate;
    }

    /** Datagrams a source may send at once before its rate applies. */
    public int udpBurst() {
        return udpBurst;
    }

    /** Sources the UDP rate limiter tracks one by one; beyond that, new sources share one bucket. */
    public int udpRateSources() {
        return udpRateSources;
    }

    /** Whether a non-loopback address may be bound without authentication (protected mode off). */
    public boolean allowInsecure() {
        return allowInsecure;
    }

    /** TLS on stream listeners, or null. */
    public ServerTls tls() {
        return tls;
    }

    /** Builds a {@link ServerConfig}; {@link #start()} builds and starts a server in one call. */
    public static final class Builder {
        private final List<Endpoint> listeners = new ArrayList<>();
        private Service service = Service.UPPER;
        private Transport transport = Transport.AUTO;
        private int backlog = DEFAULT_BACKLOG;
        private int ioThreads;
        private boolean logConnections = true;
        private int writeBufferLow = DEFAULT_WRITE_BUFFER_LOW;
        private int writeBufferHigh = DEFAULT_WRITE_BUFFER_HIGH;
        private MetricsRecorder recorder = MetricsRecorder.NONE;
        private boolean proxyProtocol;
        private List<String> trustedProxies = List.of();
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
        private int udpRateSources = DEFAULT_UDP_RATE_SOURCES;
        private boolean allowInsecure;
        private boolean serviceChosen;
        private Keyring keys;
        private LegacyDigest legacyAuth;
        private boolean json;
        private int maxLine = DEFAULT_MAX_LINE;
        private long maxPartialBytes;
        private ServerTls tls;

        private Builder() {
        }

        /** Adds a listener (repeatable); with none, TCP and UDP on 127.0.0.1:8888. */
        public Builder listen(Endpoint endpoint) {
            listeners.add(Objects.requireNonNull(endpoint, "endpoint"));
            return this;
        }

        /** Adds a TCP listener; port 0 picks a free port ({@link JechoServer#boundEndpoints()}). */
        public Builder tcp(String host, int port) {
            return listen(Endpoint.tcp(host, port));
        }

        /** Adds a UDP listener; port 0 picks a free port. */
        public Builder udp(String host, int port) {
            return listen(Endpoint.udp(host, port));
        }

        /** Adds a Unix-socket listener (mode 0600; a stale socket file is replaced). */
        public Builder unix(Path path) {
            return listen(Endpoint.unix(path));
        }

        /** What each message gets back. */
        public Builder service(Service service) {
            this.service = Objects.requireNonNull(service, "service");
            this.serviceChosen = true;
            return this;
        }

        /** The I/O transport; {@code AUTO} (default) takes epoll where it loads, else NIO. */
        public Builder transport(Transport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /** The accept queue length of TCP and Unix listeners (capped by the kernel's {@code somaxconn}). */
        public Builder backlog(int backlog) {
            if (backlog < 1) {
                throw new IllegalArgumentException("backlog must be at least 1, got " + backlog);
            }
            this.backlog = backlog;
            return this;
        }

        /** Event loop threads; 0 (default) means one per two CPUs, see {@link ServerConfig#effectiveIoThreads()}. */
        public Builder ioThreads(int ioThreads) {
            if (ioThreads < 0) {
                throw new IllegalArgumentException("ioThreads must be 0 (one per two CPUs) or more, got " + ioThreads);
            }
            this.ioThreads = ioThreads;
            return this;
        }

        /** Whether to log each connect and close (rate-limited); metrics count them either way. */
        public Builder logConnections(boolean logConnections) {
            this.logConnections = logConnections;
            return this;
        }

        /** The write buffer water marks: reading pauses above {@code high} and resumes below {@code low}. */
        public Builder writeBufferWaterMarks(int low, int high) {
            if (low < 1 || high < low) {
                throw new IllegalArgumentException("need 0 < low <= high, got low=" + low + " high=" + high);
            }
            this.writeBufferLow = low;
            this.writeBufferHigh = high;
            return this;
        }

        /**
         * Where the listeners report connections, messages, handshakes and drops (jecho-metrics has a Prometheus
         * recorder); it is called from the event loops, so it must be fast and must never throw.
         */
        public Builder recorder(MetricsRecorder recorder) {
            this.recorder = java.util.Objects.requireNonNull(recorder, "recorder");
            return this;
        }

        /** Sets the secret: clients must prove they hold one of these keys. Null: no authentication. */
        public Builder keys(Keyring keys) {
            this.keys = keys;
            return this;
        }

        /**
         * TCP listeners expect a PROXY protocol header (HAProxy v1 or v2) before any data, from the
         * {@link #trustedProxies trusted proxies} only (which must be given); connections without one are closed.
         */
        public Builder proxyProtocol(boolean proxyProtocol) {
            this.proxyProtocol = proxyProtocol;
            return this;
        }

        /**
         * The networks allowed to send PROXY headers, e.g. {@code 10.0.0.0/8} or {@code 192.0.2.7}.
         *
         * @throws IllegalArgumentException for anything but IP addresses with optional prefix lengths
         */
        public Builder trustedProxies(List<String> cidrs) {
            if (cidrs.isEmpty()) {
                throw new IllegalArgumentException("at least one trusted proxy network is needed");
            }
            cidrs.forEach(TrustedProxies::parse);
            this.trustedProxies = List.copyOf(cidrs);
            return this;
        }

        /** How long a PROXY-protocol connection may take to send its whole header (default 3 s). */
        public Builder proxyHeaderTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("PROXY header timeout must be positive, got " + timeout);
            }
            this.proxyHeaderTimeout = timeout;
            return this;
        }

        /** TCP_NODELAY on accepted connections (default on). */
        public Builder tcpNoDelay(boolean tcpNoDelay) {
            this.tcpNoDelay = tcpNoDelay;
            return this;
        }

        /** SO_KEEPALIVE on accepted connections (default on). */
        public Builder keepAlive(boolean keepAlive) {
            this.keepAlive = keepAlive;
            return this;
        }

        /** SO_RCVBUF and SO_SNDBUF of accepted connections and UDP listeners; 0 keeps the kernel's default and auto-tuning. */
        public Builder socketBuffers(int receiveBufferSize, int sendBufferSize) {
            if (receiveBufferSize < 0 || sendBufferSize < 0) {
                throw new IllegalArgumentException("socket buffer sizes must be 0 (kernel default) or more");
            }
            this.receiveBufferSize = receiveBufferSize;
            this.sendBufferSize = sendBufferSize;
            return this;
        }

        /** Past this many open connections new ones are closed at once and counted (default 10,000). */
        public Builder maxConnections(int maxConnections) {
            if (maxConnections < 1) {
                throw new IllegalArgumentException("max-connections must be at least 1, got " + maxConnections);
            }
            this.maxConnections = maxConnections;
            return this;
        }

        /** 0 means no cap. */
        public Builder maxConnectionsPerIp(int maxConnectionsPerIp) {
            this.maxConnectionsPerIp = atLeastZero("max-connections-per-ip", maxConnectionsPerIp);
            return this;
        }

        public Builder maxStartups(MaxStartups maxStartups) {
            this.maxStartups = Objects.requireNonNull(maxStartups, "maxStartups");
            return this;
        }

        /** 0 means no cap. */
        public Builder maxStartupsPerIp(int maxStartupsPerIp) {
            this.maxStartupsPerIp = atLeastZero("max-startups-per-ip", maxStartupsPerIp);
            return this;
        }

        public Builder penalties(PenaltyPolicy penalties) {
            this.penalties = Objects.requireNonNull(penalties, "penalties");
            return this;
        }

        /** The address block counted as one source (default {@link SourcePrefix#DEFAULT}, a /24 or a /64). */
        public Builder sourcePrefix(SourcePrefix sourcePrefix) {
            this.sourcePrefix = Objects.requireNonNull(sourcePrefix, "sourcePrefix");
            return this;
        }

        /** Adds an exempt address block (repeatable). */
        public Builder limitExempt(Cidr block) {
            limitExempt.add(Objects.requireNonNull(block, "block"));
            return this;
        }

        /** Zero disables it. */
        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = notNegative("idle-timeout", idleTimeout);
            return this;
        }

        /** Zero disables it. */
        public Builder slowClientTimeout(Duration slowClientTimeout) {
            this.slowClientTimeout = notNegative("slow-client-timeout", slowClientTimeout);
            return this;
        }

        /**
         * Speaks the article's handshake with this digest instead of jecho's (needs {@link #keys}); implies
         * JSON values back to back and, unless a service is set, the echo service.
         */
        public Builder legacyAuth(LegacyDigest digest) {
            this.legacyAuth = digest;
            return this;
        }

        public Builder json(boolean json) {
            this.json = json;
            return this;
        }

        public Builder maxLine(int maxLine) {
            if (maxLine < 16) {
                throw new IllegalArgumentException("max line must be at least 16 bytes, got " + maxLine);
            }
            this.maxLine = maxLine;
            return this;
        }

        /**
         * The most bytes all connections together may hold in unfinished JSON messages (at least
         * {@link #maxLine}); 0 (default): a quarter of Netty's direct-memory limit.
         */
        public Builder maxPartialBytes(long maxPartialBytes) {
            this.maxPartialBytes = atLeastZero("max-partial-bytes", maxPartialBytes);
            return this;
        }

        public Builder handshakeTimeout(Duration handshakeTimeout) {
            if (notNegative("handshake-timeout", handshakeTimeout).isZero()) {
                throw new IllegalArgumentException("handshake-timeout must be longer than zero");
            }
            this.handshakeTimeout = handshakeTimeout;
            return this;
        }

        /** Zero closes every connection at once at a stop. */
        public Builder drainTimeout(Duration drainTimeout) {
            this.drainTimeout = notNegative("drain-timeout", drainTimeout);
            return this;
        }

        public Builder maxDatagram(int maxDatagram) {
            if (maxDatagram < 0 || maxDatagram > MAX_DATAGRAM_LIMIT) {
                throw new IllegalArgumentException("max-datagram must be 0-" + MAX_DATAGRAM_LIMIT + " bytes, got " + maxDatagram);
            }
            this.maxDatagram = maxDatagram;
            return this;
        }

        /** Datagrams per second per source ({@code 0}: no limit) and the burst allowed above it. */
        public Builder udpRateLimit(int perSecond, int burst) {
            atLeastZero("udp-rate", perSecond);
            if (perSecond > 0 && burst < 1) {
                throw new IllegalArgumentException("udp-burst must be at least 1, got " + burst);
            }
            this.udpRate = perSecond;
            this.udpBurst = burst;
            return this;
        }

        public Builder udpRateSources(int sources) {
            if (sources < 1) {
                throw new IllegalArgumentException("the UDP rate limiter must track at least one source, got " + sources);
            }
            this.udpRateSources = sources;
            return this;
        }

        /** Turns protected mode off: non-loopback addresses may be bound without authentication. */
        public Builder allowInsecure(boolean allowInsecure) {
            this.allowInsecure = allowInsecure;
            return this;
        }

        private static int atLeastZero(String name, int value) {
            return (int) atLeastZero(name, (long) value);
        }

        private static long atLeastZero(String name, long value) {
            if (value < 0) {
                throw new IllegalArgumentException(name + " cannot be negative, got " + value);
            }
            return value;
        }

        private static Duration notNegative(String name, Duration value) {
            Objects.requireNonNull(value, name);
            if (value.isNegative()) {
                throw new IllegalArgumentException(name + " cannot be negative");
            }
            return value;
        }

        /** TLS on every stream listener (TCP and Unix sockets); null for none. */
        public Builder tls(ServerTls tls) {
            this.tls = tls;
            return this;
        }

        /** The immutable configuration; {@link #start()} builds and starts in one call. */
        public ServerConfig build() {
            return new ServerConfig(this);
        }

        /** Builds the configuration and starts a server with it. */
        public JechoServer start() throws ListenerException {
            return JechoServer.start(build());
        }
    }
}
