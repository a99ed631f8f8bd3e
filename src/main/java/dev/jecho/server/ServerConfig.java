package dev.jecho.server;

import dev.jecho.keys.Keyring;
import dev.jecho.protocol.handshake.LegacyDigest;
import dev.jecho.service.Service;
import dev.jecho.tls.ServerTls;
import dev.jecho.transport.Endpoint;
import dev.jecho.transport.Transport;

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
    /** The longest JSON message (one line, or one legacy value); longer gets an error and a close. */
    public static final int DEFAULT_MAX_LINE = 1024 * 1024;
    /** How long after accept a client has to finish authenticating (OpenSSH's LoginGraceTime is 120 s). */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private final List<Endpoint> listeners;
    private final Service service;
    private final Transport transport;
    private final int backlog;
    private final int ioThreads;
    private final boolean logConnections;
    private final int writeBufferLow;
    private final int writeBufferHigh;
    private final Keyring keys;
    private final LegacyDigest legacyAuth;
    private final boolean json;
    private final int maxLine;
    private final Duration handshakeTimeout;
    private final ServerTls tls;

    private ServerConfig(Builder b) {
        if (b.legacyAuth != null && b.keys == null) {
            throw new IllegalArgumentException("the legacy handshake needs a key");
        }
        if (b.legacyAuth != null && b.listeners.stream().anyMatch(e -> e.kind() == Endpoint.Kind.UDP)) {
            throw new IllegalArgumentException("the article's legacy handshake is for TCP and Unix sockets, not UDP");
        }
        if (b.listeners.isEmpty()) {
            // The article's address; its legacy handshake has no UDP counterpart.
            this.listeners = b.legacyAuth != null
                    ? List.of(Endpoint.tcp(DEFAULT_HOST, DEFAULT_PORT))
                    : List.of(Endpoint.tcp(DEFAULT_HOST, DEFAULT_PORT), Endpoint.udp(DEFAULT_HOST, DEFAULT_PORT));
        } else {
            this.listeners = List.copyOf(b.listeners);
        }
        // The article's server returns the JSON unchanged: legacy mode echoes unless a service is named.
        this.service = b.legacyAuth != null && !b.serviceChosen ? Service.ECHO : b.service;
        this.transport = b.transport;
        this.backlog = b.backlog;
        this.ioThreads = b.ioThreads;
        this.logConnections = b.logConnections;
        this.writeBufferLow = b.writeBufferLow;
        this.writeBufferHigh = b.writeBufferHigh;
        this.keys = b.keys;
        this.legacyAuth = b.legacyAuth;
        this.json = b.json || b.legacyAuth != null;
        this.maxLine = b.maxLine;
        this.handshakeTimeout = b.handshakeTimeout;
        this.tls = b.tls;
    }

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
        b.keys = keys;
        b.legacyAuth = legacyAuth;
        b.json = json;
        b.maxLine = maxLine;
        b.handshakeTimeout = handshakeTimeout;
        b.tls = tls;
        b.serviceChosen = true;
        return b;
    }

    /** The listeners; with none given, TCP and UDP on 127.0.0.1:8888. */
    public List<Endpoint> listeners() {
        return listeners;
    }

    public Service service() {
        return service;
    }

    public Transport transport() {
        return transport;
    }

    /** The TCP and Unix-socket accept queue length (the article used 5). */
    public int backlog() {
        return backlog;
    }

    /** Event loop threads; 0 means one per available CPU. */
    public int ioThreads() {
        return ioThreads;
    }

    /** Whether each connect and disconnect is logged (rate-limited) at INFO. */
    public boolean logConnections() {
        return logConnections;
    }

    public int writeBufferLow() {
        return writeBufferLow;
    }

    public int writeBufferHigh() {
        return writeBufferHigh;
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

    /** The absolute deadline for authentication, counted from accept. */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
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
        private boolean serviceChosen;
        private Keyring keys;
        private LegacyDigest legacyAuth;
        private boolean json;
        private int maxLine = DEFAULT_MAX_LINE;
        private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
        private ServerTls tls;

        private Builder() {
        }

        public Builder listen(Endpoint endpoint) {
            listeners.add(Objects.requireNonNull(endpoint, "endpoint"));
            return this;
        }

        public Builder tcp(String host, int port) {
            return listen(Endpoint.tcp(host, port));
        }

        public Builder udp(String host, int port) {
            return listen(Endpoint.udp(host, port));
        }

        public Builder unix(Path path) {
            return listen(Endpoint.unix(path));
        }

        public Builder service(Service service) {
            this.service = Objects.requireNonNull(service, "service");
            this.serviceChosen = true;
            return this;
        }

        public Builder transport(Transport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        public Builder backlog(int backlog) {
            if (backlog < 1) {
                throw new IllegalArgumentException("backlog must be at least 1, got " + backlog);
            }
            this.backlog = backlog;
            return this;
        }

        public Builder ioThreads(int ioThreads) {
            if (ioThreads < 0) {
                throw new IllegalArgumentException("ioThreads must be 0 (one per CPU) or more, got " + ioThreads);
            }
            this.ioThreads = ioThreads;
            return this;
        }

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

        /** Sets the secret: clients must prove they hold one of these keys. Null: no authentication. */
        public Builder keys(Keyring keys) {
            this.keys = keys;
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

        public Builder handshakeTimeout(Duration handshakeTimeout) {
            if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
                throw new IllegalArgumentException("handshake timeout must be positive, got " + handshakeTimeout.toMillis() + " ms");
            }
            this.handshakeTimeout = handshakeTimeout;
            return this;
        }

        /** TLS on every stream listener (TCP and Unix sockets); null for none. */
        public Builder tls(ServerTls tls) {
            this.tls = tls;
            return this;
        }

        public ServerConfig build() {
            return new ServerConfig(this);
        }

        /** Builds the configuration and starts a server with it. */
        public JechoServer start() throws ListenerException {
            return JechoServer.start(build());
        }
    }
}
