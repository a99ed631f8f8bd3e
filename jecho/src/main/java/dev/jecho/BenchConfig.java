package dev.jecho;

import dev.jecho.internal.bench.JsonCodec;
import dev.jecho.internal.bench.ServiceChecks;
import dev.jecho.internal.bench.Summaries;
import dev.jecho.internal.bench.Units;
import dev.jecho.internal.protocol.datagram.TaggedDatagram;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * One benchmark workload against one endpoint, as an immutable value; every default lives here.
 *
 * <pre>{@code
 * BenchConfig config = BenchConfig.builder(Endpoint.parse("tcp://127.0.0.1:8888"))
 *         .mode(BenchConfig.Mode.RR).connections(100).duration(Duration.ofSeconds(10))
 *         .rate(50_000)                      // open loop: latency from the intended send time
 *         .build();
 * BenchConfig session = BenchConfig.builder(Endpoint.parse("127.0.0.1:8443"))
 *         .tls(ClientTls.pinned(fingerprint)).keys(keys).json(true)   // TLS, the jecho handshake, JSON Lines
 *         .build();
 * }</pre>
 *
 * The session options are those of {@code jecho client}: TLS ({@link Builder#tls}), a key for jecho's
 * handshake and session records, or on UDP for tagged datagrams ({@link Builder#keys}), the article's handshake
 * instead ({@link Builder#legacyAuth}), and JSON Lines messages ({@link Builder#json}).
 */
public final class BenchConfig {

    /** Connections (UDP: flows) unless set. */
    public static final int DEFAULT_CONNECTIONS = 1;
    /** How long the measured part runs unless set. */
    public static final Duration DEFAULT_DURATION = Duration.ofSeconds(10);
    /** How long the unmeasured warm-up before it runs unless set. */
    public static final Duration DEFAULT_WARMUP = Duration.ofSeconds(1);
    /** Bytes per request unless set. */
    public static final int DEFAULT_SIZE = 64;
    /** A reply on TCP or a Unix socket later than this is a timeout error. */
    public static final Duration DEFAULT_STREAM_TIMEOUT = Duration.ofSeconds(2);
    /** A datagram without a reply after this long counts as lost (the C load generator uses the same). */
    public static final Duration DEFAULT_DATAGRAM_TIMEOUT = Duration.ofMillis(200);
    /** How long a connection (with TLS and the handshake) may take to open. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Connection attempts in flight at once, so a burst of connects does not overflow the accept queue. */
    public static final int DEFAULT_MAX_CONNECTING = 256;
    /** The largest UDP payload over IPv4. */
    public static final int MAX_DATAGRAM = 65507;
    /** Sizes above this are refused: a request is written from one preallocated pattern. */
    public static final int MAX_SIZE = 16 * 1024 * 1024;
    /** The most requests in flight per connection. */
    public static final int MAX_PIPELINE = 65536;

    /** What each connection does. */
    public enum Mode {
        /** Request/response: send a message, wait for its reply (up to {@code pipeline} in flight). */
        RR,
        /** Stream chunks continuously and read the echo back: MB/s. */
        BULK,
        /** A new connection for every request: connect, one exchange, close. */
        CONNECT,
        /** Open the connections, keep them for the duration, then check each one is still alive. */
        HOLD,
        /** Stream chunks as fast as the server takes them, nothing back (a discard server, RFC 863): MB/s. */
        UPLOAD,
        /** Read what the server sends unasked (a chargen server, RFC 864): MB/s. */
        DOWNLOAD;

        /**
         * The name on the command line ({@code --mode}).
         *
         * @return {@code rr}, {@code bulk}, {@code connect}, {@code hold}, {@code upload} or {@code download}
         */
        public String cliName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * Whether bytes go one way only, with no requests and replies.
         *
         * @return true for upload and download
         */
        public boolean oneWay() {
            return this == UPLOAD || this == DOWNLOAD;
        }

        /**
         * Parses a name as {@link #cliName()} gives it, in any case.
         *
         * @param text the name
         * @return the mode
         * @throws IllegalArgumentException for any other name
         */
        public static Mode parse(String text) {
            StringBuilder names = new StringBuilder();
            Mode[] all = values();
            for (int i = 0; i < all.length; i++) {
                if (all[i].cliName().equalsIgnoreCase(text.trim())) {
                    return all[i];
                }
                names.append(i == 0 ? "" : i == all.length - 1 ? " or " : ", ").append(all[i].cliName());
            }
            throw new IllegalArgumentException("unknown mode '" + text + "': use " + names);
        }
    }

    private final Endpoint endpoint;
    private final String label;
    private final Mode mode;
    /** The service replies are checked against, or null: auto (learned from the first reply) or none. */
    private final Service check;
    private final boolean checkReplies;
    private final int connections;
    private final Duration duration;
    private final Duration warmup;
    private final int sizeMin;
    private final int sizeMax;
    private final int pipeline;
    private final double rate;
    private final Duration timeout;
    private final Duration connectTimeout;
    private final int maxConnecting;
    private final Transport transport;
    private final int threads;
    private final ClientTls tls;
    private final Keyring keys;
    private final LegacyDigest legacyAuth;
    private final boolean json;

    private BenchConfig(Builder b) {
        this.endpoint = b.endpoint;
        this.label = b.label != null ? b.label : sessionName(b.endpoint.kind(), b.tls != null, b.keys != null, b.legacyAuth, b.json);
        this.mode = b.mode;
        this.check = b.check;
        this.checkReplies = b.checkReplies;
        this.connections = b.connections;
        this.duration = b.duration;
        this.warmup = b.warmup;
        this.sizeMin = b.sizeMin;
        this.sizeMax = b.sizeMax;
        this.pipeline = b.pipeline;
        this.rate = b.rate;
        this.timeout = b.timeout != null ? b.timeout
                : b.endpoint.kind() == Endpoint.Kind.UDP ? DEFAULT_DATAGRAM_TIMEOUT : DEFAULT_STREAM_TIMEOUT;
        this.connectTimeout = b.connectTimeout;
        this.maxConnecting = b.maxConnecting;
        this.transport = b.transport;
        this.threads = b.threads;
        this.tls = b.tls;
        this.keys = b.keys;
        this.legacyAuth = b.legacyAuth;
        this.json = b.json || b.legacyAuth != null;
    }

    /**
     * The name of a transport and session, as {@code --compare} spells it and tables show it: the scheme
     * ({@code tcp}, {@code unix}, {@code udp}; TLS over TCP is {@code tls}), then {@code +tls} (Unix sockets),
     * {@code +auth} (jecho's handshake; on UDP tagged datagrams) or {@code +legacy}, and {@code +json}.
     */
    static String sessionName(Endpoint.Kind kind, boolean tls, boolean key, LegacyDigest legacyAuth, boolean json) {
        StringBuilder sb = new StringBuilder(tls && kind == Endpoint.Kind.TCP ? "tls" : kind.scheme());
        if (tls && kind != Endpoint.Kind.TCP) {
            sb.append("+tls");
        }
        if (key) {
            sb.append(legacyAuth != null ? "+legacy" : "+auth");
        }
        if (json && legacyAuth == null) {
            sb.append("+json");
        }
        return sb.toString();
    }

    /**
     * A workload against {@code endpoint}, every option at its default.
     *
     * @param endpoint the server to measure
     * @return a builder
     */
    public static Builder builder(Endpoint endpoint) {
        return new Builder(endpoint);
    }

    /**
     * The server measured.
     *
     * @return its endpoint
     */
    public Endpoint endpoint() {
        return endpoint;
    }

    /**
     * The name of this run in tables, reports and interval-log tags.
     *
     * @return the label given, else the session's name ({@code tcp}, {@code tls+auth+json}, ...)
     */
    public String label() {
        return label;
    }

    /**
     * What each connection does.
     *
     * @return the mode
     */
    public Mode mode() {
        return mode;
    }

    /**
     * The service whose replies are expected ({@code --check NAME}): with {@link #checksReplies()} and no
     * service given, auto, the first registered service that fits the mode and matches the first reply of the
     * run.
     *
     * @return the service given, or null (auto, or no check)
     */
    public Service check() {
        return check;
    }

    /**
     * Whether replies are checked byte for byte.
     *
     * @return false for {@code --check none}: only their length is checked
     */
    public boolean checksReplies() {
        return checkReplies;
    }

    /**
     * Connections (UDP: flows, each its own socket); in {@code connect} mode, connections open at once.
     *
     * @return their number
     */
    public int connections() {
        return connections;
    }

    /**
     * How long the measured part runs.
     *
     * @return the duration
     */
    public Duration duration() {
        return duration;
    }

    /**
     * How long the unmeasured warm-up before it runs.
     *
     * @return the warm-up
     */
    public Duration warmup() {
        return warmup;
    }

    /**
     * The smallest request.
     *
     * @return bytes
     */
    public int sizeMin() {
        return sizeMin;
    }

    /**
     * The largest request (the same as {@link #sizeMin()} unless a range was given).
     *
     * @return bytes
     */
    public int sizeMax() {
        return sizeMax;
    }

    /**
     * Requests in flight per connection at most.
     *
     * @return 1 unless pipelined
     */
    public int pipeline() {
        return pipeline;
    }

    /**
     * Requests per second over all connections.
     *
     * @return the rate, or 0 for a closed loop (send when a reply came)
     */
    public double rate() {
        return rate;
    }

    /**
     * Whether requests go at a fixed rate (latency counted from when each was due).
     *
     * @return true when {@link #rate()} is set
     */
    public boolean openLoop() {
        return rate > 0;
    }

    /**
     * How long a request may wait for its reply: a timeout error on TCP and Unix sockets, a loss on UDP.
     *
     * @return the timeout
     */
    public Duration timeout() {
        return timeout;
    }

    /**
     * How long a connection (with TLS and the handshake) may take to open.
     *
     * @return the timeout
     */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * Connection attempts in flight at once.
     *
     * @return their most
     */
    public int maxConnecting() {
        return maxConnecting;
    }

    /**
     * The load generator's I/O transport.
     *
     * @return the transport
     */
    public Transport transport() {
        return transport;
    }

    /**
     * Event loop threads of the load generator.
     *
     * @return as set; 0 picks (see {@link #effectiveThreads()})
     */
    public int threads() {
        return threads;
    }

    /**
     * TLS on the stream connections and how the server's certificate is checked.
     *
     * @return the TLS, or null for none
     */
    public ClientTls tls() {
        return tls;
    }

    /**
     * The keys, of which the first is used: streams run jecho's handshake (or {@link #legacyAuth()}'s) and then
     * protected session records; UDP sends tagged datagrams.
     *
     * @return the keyring, or null for none
     */
    public Keyring keys() {
        return keys;
    }

    /**
     * The article's handshake and its JSON values back to back, instead of jecho's.
     *
     * @return its digest, or null for jecho's handshake (or none)
     */
    public LegacyDigest legacyAuth() {
        return legacyAuth;
    }

    /**
     * JSON messages: each request one JSON value of the requested size on its own line (with
     * {@link #legacyAuth()}: values back to back), each reply checked as the server re-serializes it.
     *
     * @return true for JSON messages
     */
    public boolean json() {
        return json;
    }

    /**
     * Whether a connection needs more than a TCP or Unix-socket connect before its first message.
     *
     * @return true with TLS, or with a key on a stream
     */
    public boolean hasSessionSetup() {
        return tls != null || (keys != null && endpoint.kind() != Endpoint.Kind.UDP);
    }

    /**
     * The threads used: as asked, else one per two CPUs (the server under test often shares the machine,
     * and one epoll thread drives 100k+ requests per second), but one per CPU in {@code connect} mode (a
     * client spends more per new connection than the server does: measured on 2 vCPUs against the C epoll
     * server, 2 threads made 0.92 of the C load generator's connections per second where 1 made 0.68, while
     * for rr and UDP 2 threads fell from 0.8 to 0.57); never more than there are connections.
     *
     * @return the number of threads
     */
    public int effectiveThreads() {
        int cpus = Runtime.getRuntime().availableProcessors();
        int n = threads > 0 ? threads : mode == Mode.CONNECT ? cpus : Math.max(1, cpus / 2);
        return Math.max(1, Math.min(n, connections));
    }

    /**
     * One line describing the workload, for tables and live output (before a run: auto is undecided).
     *
     * @return e.g. {@code rr, 100 connections, 64 B, closed loop, check auto (undecided), 10s (+1s warm-up)}
     */
    public String describe() {
        return Summaries.describe(this, !checkReplies ? "none" : check != null ? check.name() : "auto (undecided)");
    }

    /** Sets a workload's options; each setter checks its value, {@link #build()} checks that they fit together. */
    public static final class Builder {
        private final Endpoint endpoint;
        private String label;
        private Mode mode = Mode.RR;
        private Service check;
        private boolean checkReplies = true;
        private int connections = DEFAULT_CONNECTIONS;
        private Duration duration = DEFAULT_DURATION;
        private Duration warmup = DEFAULT_WARMUP;
        private int sizeMin = DEFAULT_SIZE;
        private int sizeMax = DEFAULT_SIZE;
        private int pipeline = 1;
        private double rate;
        private Duration timeout;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private int maxConnecting = DEFAULT_MAX_CONNECTING;
        private Transport transport = Transport.AUTO;
        private int threads;
        private ClientTls tls;
        private Keyring keys;
        private LegacyDigest legacyAuth;
        private boolean json;

        private Builder(Endpoint endpoint) {
            this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        }

        /**
         * The name of this run in tables and reports (else the session's name).
         *
         * @param label the name
         * @return this builder
         */
        public Builder label(String label) {
            this.label = Objects.requireNonNull(label, "label");
            return this;
        }

        /**
         * What each connection does (default rr).
         *
         * @param mode the mode
         * @return this builder
         */
        public Builder mode(Mode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * Replies must be what this service gives (see {@link BenchConfig#check()}); null: learn it from the first
         * reply (the default). Checks replies again after {@link #checkReplies(boolean) checkReplies(false)}.
         *
         * @param service the service, or null for auto
         * @return this builder
         */
        public Builder check(Service service) {
            this.check = service;
            this.checkReplies = true;
            return this;
        }

        /**
         * Whether replies are checked byte for byte (default true).
         *
         * @param checkReplies false for {@code --check none}: only their length is checked
         * @return this builder
         */
        public Builder checkReplies(boolean checkReplies) {
            this.checkReplies = checkReplies;
            return this;
        }

        /**
         * Connections, or UDP flows (default 1).
         *
         * @param connections 1 to 1,000,000
         * @return this builder
         * @throws IllegalArgumentException when out of range
         */
        public Builder connections(int connections) {
            if (connections < 1 || connections > 1_000_000) {
                throw new IllegalArgumentException("connections must be 1 to 1000000, got " + connections);
            }
            this.connections = connections;
            return this;
        }

        /**
         * How long the measured part runs (default 10 s).
         *
         * @param duration at least 1 ms
         * @return this builder
         * @throws IllegalArgumentException when out of range
         */
        public Builder duration(Duration duration) {
            if (duration.toMillis() < 1) {
                throw new IllegalArgumentException("duration must be at least 1ms, got " + Units.duration(duration));
            }
            this.duration = duration;
            return this;
        }

        /**
         * How long the unmeasured warm-up runs first (default 1 s).
         *
         * @param warmup zero or more
         * @return this builder
         * @throws IllegalArgumentException when out of range
         */
        public Builder warmup(Duration warmup) {
            if (warmup.isNegative()) {
                throw new IllegalArgumentException("warm-up must not be negative");
            }
            this.warmup = warmup;
            return this;
        }

        /**
         * Bytes per request (default 64).
         *
         * @param size 1 to 16 MiB
         * @return this builder
         * @throws IllegalArgumentException when out of range
         */
        public Builder size(int size) {
            return size(size, size);
        }

        /**
         * Each request gets a size drawn uniformly from [min, max].
         *
         * @param min the smallest, at least 1
         * @param max the largest, at most 16 MiB
         * @return this builder
         * @throws IllegalArgumentException when out of range
         */
        public Builder size(int min, int max) {
            if (min < 1 || max < min || max > MAX_SIZE) {
                throw new IllegalArgumentException("size must be 1 to " + MAX_SIZE + " bytes with min <= max, got "
                        + (min == max ? String.valueOf(min) : min + "-" + max));
            }
            this.sizeMin = min;
            this.sizeMax = max;
            return this;
        }

        /**
         * Requests in flight per connection in rr mode (default 1).
         *
         * @param pipeline 1 to 65536
         * @return this builder
         * @throws IllegalArgumentException when out of range
         */
        public Builder pipeline(int pipeline) {
            if (pipeline < 1 || pipeline > MAX_PIPELINE) {
                throw new IllegalArgumentException("pipeline depth must be 1 to " + MAX_PIPELINE + ", got " + pipeline);
            }
            this.pipeline = pipeline;
            return this;
        }

        /**
         * Requests per second over all connections (open loop); 0 for a closed loop.
         *
         * @param rate requests per second, or 0
         * @return this builder
         * @throws IllegalArgumentException when negative or not a number
         */
        public Builder rate(double rate) {
            if (!(rate >= 0) || Double.isInfinite(rate)) {
                throw new IllegalArgumentException("rate must be 0 (closed loop) or a positive number of requests per second");
            }
            this.rate = rate;
            return this;
        }

        /**
         * How long a request may wait for its reply (default 2 s on streams, 200 ms on UDP).
         *
         * @param timeout at least 1 ms
         * @return this builder
         * @throws IllegalArgumentException when out of range
         */
        public Builder timeout(Duration timeout) {
            if (timeout.toMillis() < 1) {
                throw new IllegalArgumentException("timeout must be at least 1ms");
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * How long a connection may take to open, TLS and handshake included (default 5 s).
         *
         * @param connectTimeout at least 1 ms
         * @return this builder
         * @throws IllegalArgumentException when out of range
         */
        public Builder connectTimeout(Duration connectTimeout) {
            if (connectTimeout.toMillis() < 1) {
                throw new IllegalArgumentException("connect timeout must be at least 1ms");
            }
            this.connectTimeout = connectTimeout;
            return this;
        }

        /**
         * Connection attempts in flight at once (default 256).
         *
         * @param maxConnecting at least 1
         * @return this builder
         * @throws IllegalArgumentException when out of range
         */
        public Builder maxConnecting(int maxConnecting) {
            if (maxConnecting < 1) {
                throw new IllegalArgumentException("connection attempts in flight must be at least 1, got " + maxConnecting);
            }
            this.maxConnecting = maxConnecting;
            return this;
        }

        /**
         * The load generator's I/O transport (default auto: io_uring where it loads, except for connection churn,
         * held connections and Unix sockets, which take what auto gives a server: epoll, else NIO).
         *
         * @param transport the transport
         * @return this builder
         */
        public Builder transport(Transport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /**
         * Event loop threads of the load generator.
         *
         * @param threads 1 to 1024, or 0 to pick
         * @return this builder
         * @throws IllegalArgumentException when out of range
         */
        public Builder threads(int threads) {
            if (threads < 0 || threads > 1024) {
                throw new IllegalArgumentException("threads must be 0 (pick) to 1024, got " + threads);
            }
            this.threads = threads;
            return this;
        }

        /**
         * TLS on every stream connection; the TLS handshake is part of each connection's setup.
         *
         * @param tls how the server's certificate is checked, or null for no TLS
         * @return this builder
         */
        public Builder tls(ClientTls tls) {
            this.tls = tls;
            return this;
        }

        /**
         * Authenticate with the keyring's first key (see {@link Keyring#select}): jecho's handshake and session
         * records, or tagged datagrams on UDP.
         *
         * @param keys the keys, or null for none
         * @return this builder
         */
        public Builder keys(Keyring keys) {
            this.keys = keys;
            return this;
        }

        /**
         * The article's handshake with this digest instead of jecho's (needs a key; JSON values back to back).
         *
         * @param legacyAuth the digest, or null for jecho's handshake
         * @return this builder
         */
        public Builder legacyAuth(LegacyDigest legacyAuth) {
            this.legacyAuth = legacyAuth;
            return this;
        }

        /**
         * JSON Lines: each request a JSON value of the requested size, each reply checked as the server re-serializes it.
         *
         * @param json true for JSON messages
         * @return this builder
         */
        public Builder json(boolean json) {
            this.json = json;
            return this;
        }

        /**
         * The workload.
         *
         * @return the configuration
         * @throws IllegalArgumentException when the options do not fit together (the message says why)
         */
        public BenchConfig build() {
            boolean udp = endpoint.kind() == Endpoint.Kind.UDP;
            boolean jsonMessages = json || legacyAuth != null;
            if (udp && tls != null) {
                throw new IllegalArgumentException("TLS is for TCP and Unix sockets, not UDP");
            }
            if (udp && legacyAuth != null) {
                throw new IllegalArgumentException("the article's handshake is for TCP and Unix sockets, not UDP");
            }
            if (udp && json) {
                throw new IllegalArgumentException("JSON Lines are for TCP and Unix sockets: a jecho server answers UDP with raw datagrams");
            }
            if (legacyAuth != null && keys == null) {
                throw new IllegalArgumentException("the article's handshake needs a key");
            }
            if (jsonMessages && (mode == Mode.BULK || mode.oneWay())) {
                throw new IllegalArgumentException(mode.cliName() + " streams raw bytes; JSON messages run with rr, connect or hold");
            }
            if (jsonMessages && sizeMin < JsonCodec.MIN_SIZE) {
                throw new IllegalArgumentException("a JSON message is at least " + JsonCodec.MIN_SIZE + " bytes (\"\"), got size " + sizeMin);
            }
            int keyId = keys == null ? 0 : keys.ids().get(0).length();
            if (udp && keys != null && sizeMax > MAX_DATAGRAM - TaggedDatagram.REQUEST_OVERHEAD - keyId) {
                throw new IllegalArgumentException("a tagged UDP datagram holds at most "
                        + (MAX_DATAGRAM - TaggedDatagram.REQUEST_OVERHEAD - keyId) + " bytes of payload, got size " + sizeMax);
            }
            if (udp && mode != Mode.RR) {
                throw new IllegalArgumentException("mode " + mode.cliName() + " needs a stream: use tcp:// or unix: (UDP runs rr)");
            }
            if (udp && sizeMax > MAX_DATAGRAM) {
                throw new IllegalArgumentException("a UDP payload holds at most " + MAX_DATAGRAM + " bytes, got size " + sizeMax);
            }
            if (rate > 0 && (mode == Mode.BULK || mode == Mode.HOLD || mode.oneWay())) {
                throw new IllegalArgumentException("--rate applies to rr and connect, not " + mode.cliName());
            }
            if ((mode == Mode.BULK || mode == Mode.UPLOAD) && sizeMin != sizeMax) {
                throw new IllegalArgumentException(mode.cliName() + " writes chunks of one size: give --size N, not a range");
            }
            if (pipeline > 1 && mode != Mode.RR) {
                throw new IllegalArgumentException("--pipeline applies to rr, not " + mode.cliName());
            }
            if (rate > 0 && rate < 1e-3) {
                throw new IllegalArgumentException("rate below 0.001 requests per second");
            }
            String refusal = checkReplies && check != null ? ServiceChecks.refusal(check, mode, jsonMessages) : null;
            if (refusal != null) {
                throw new IllegalArgumentException(refusal);
            }
            return new BenchConfig(this);
        }
    }
}
