package dev.jecho.client;

import dev.jecho.keys.Keyring;
import dev.jecho.protocol.handshake.LegacyDigest;
import dev.jecho.tls.ClientTls;
import dev.jecho.transport.Endpoint;
import dev.jecho.transport.Transport;

import java.time.Duration;
import java.util.Objects;

/** How a {@link JechoClient} connects and waits; immutable, every default here. */
public final class ClientConfig {

    public static final Duration DEFAULT_STREAM_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_DATAGRAM_TIMEOUT = Duration.ofSeconds(1);
    public static final int DEFAULT_RETRIES = 2;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** How long the TLS and jecho handshakes may take together, as the server's default deadline. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    /** The longest JSON reply accepted: a bound on memory, well above the server's default line limit. */
    public static final int DEFAULT_MAX_REPLY = 16 * 1024 * 1024;

    private final Endpoint endpoint;
    private final Transport transport;
    private final Duration timeout;
    private final int retries;
    private final Duration connectTimeout;
    private final Keyring keys;
    private final LegacyDigest legacyAuth;
    private final boolean json;
    private final ClientTls tls;
    private final Duration handshakeTimeout;
    private final int maxReply;

    private ClientConfig(Builder b) {
        if (b.legacyAuth != null && b.keys == null) {
            throw new IllegalArgumentException("the legacy handshake needs a key");
        }
        this.endpoint = Objects.requireNonNull(b.endpoint, "endpoint");
        this.transport = b.transport;
        this.timeout = b.timeout != null ? b.timeout
                : endpoint.kind() == Endpoint.Kind.UDP ? DEFAULT_DATAGRAM_TIMEOUT : DEFAULT_STREAM_TIMEOUT;
        this.retries = b.retries;
        this.connectTimeout = b.connectTimeout;
        this.keys = b.keys;
        this.legacyAuth = b.legacyAuth;
        this.json = b.json || b.legacyAuth != null;
        this.tls = b.tls;
        this.handshakeTimeout = b.handshakeTimeout;
        this.maxReply = b.maxReply;
    }

    public static Builder builder(Endpoint endpoint) {
        return new Builder(endpoint);
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    public Transport transport() {
        return transport;
    }

    /**
     * How long to wait for a reply: for TCP and Unix sockets the whole reply (default 10 s); for UDP each
     * attempt (default 1 s).
     */
    public Duration timeout() {
        return timeout;
    }

    /** UDP only: how many times a datagram without a reply is sent again before it counts as lost. */
    public int retries() {
        return retries;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** The key to authenticate with (the keyring's primary key), or null for none. */
    public Keyring keys() {
        return keys;
    }

    /** The article's handshake instead of jecho's, or null. */
    public LegacyDigest legacyAuth() {
        return legacyAuth;
    }

    /** JSON messages: JSON Lines, or with {@link #legacyAuth()} values back to back. */
    public boolean json() {
        return json;
    }

    /** TLS and how the server's certificate is checked, or null for none. */
    public ClientTls tls() {
        return tls;
    }

    /** How long the TLS and authentication handshakes may take after connecting. */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    public int maxReply() {
        return maxReply;
    }

    public static final class Builder {
        private final Endpoint endpoint;
        private Transport transport = Transport.AUTO;
        private Duration timeout;
        private int retries = DEFAULT_RETRIES;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Keyring keys;
        private LegacyDigest legacyAuth;
        private boolean json;
        private ClientTls tls;
        private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
        private int maxReply = DEFAULT_MAX_REPLY;

        private Builder(Endpoint endpoint) {
            this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        }

        public Builder transport(Transport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        public Builder timeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, got " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        public Builder retries(int retries) {
            if (retries < 0) {
                throw new IllegalArgumentException("retries must be 0 or more, got " + retries);
            }
            this.retries = retries;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            if (connectTimeout.isNegative() || connectTimeout.isZero()) {
                throw new IllegalArgumentException("connect timeout must be positive, got " + connectTimeout);
            }
            this.connectTimeout = connectTimeout;
            return this;
        }

        /** Authenticate with the keyring's primary key (see {@link Keyring#select}); null for none. */
        public Builder keys(Keyring keys) {
            this.keys = keys;
            return this;
        }

        public Builder legacyAuth(LegacyDigest digest) {
            this.legacyAuth = digest;
            return this;
        }

        public Builder json(boolean json) {
            this.json = json;
            return this;
        }

        public Builder tls(ClientTls tls) {
            this.tls = tls;
            return this;
        }

        public Builder handshakeTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("handshake timeout must be positive, got " + timeout);
            }
            this.handshakeTimeout = timeout;
            return this;
        }

        public Builder maxReply(int maxReply) {
            this.maxReply = maxReply;
            return this;
        }

        public ClientConfig build() {
            return new ClientConfig(this);
        }

        /** Builds the configuration and connects. */
        public JechoClient connect() throws ClientException {
            return JechoClient.connect(build());
        }
    }
}
