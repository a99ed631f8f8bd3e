package dev.jecho;

import dev.jecho.internal.transport.SocketOptions;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;

/** How a {@link JechoClient} connects and waits; immutable, every default here. */
public final class ClientConfig {

    /** How long a TCP or Unix-socket client waits for a whole reply unless set. */
    public static final Duration DEFAULT_STREAM_TIMEOUT = Duration.ofSeconds(10);
    /** How long a UDP client waits for each attempt's reply unless set. */
    public static final Duration DEFAULT_DATAGRAM_TIMEOUT = Duration.ofSeconds(1);
    /** How many times a UDP client sends a datagram again before it counts as lost, unless set. */
    public static final int DEFAULT_RETRIES = 2;
    /** How long a TCP or Unix-socket connection may take to open unless set. */
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
    private final SocketOptions socketOptions;
    private final Keyring keys;
    private final LegacyDigest legacyAuth;
    private final boolean json;
    private final ClientTls tls;
    private final Duration handshakeTimeout;
    private final int maxReply;
    private final InetAddress localAddress;
    private final Service expect;

    private ClientConfig(Builder b) {
        if (b.legacyAuth != null && b.keys == null) {
            throw new IllegalArgumentException("the legacy handshake needs a key");
        }
        if (b.localAddress != null && b.endpoint.kind() == Endpoint.Kind.UNIX) {
            throw new IllegalArgumentException("a local address to bind is for TCP and UDP, not Unix sockets");
        }
        this.endpoint = Objects.requireNonNull(b.endpoint, "endpoint");
        this.transport = b.transport;
        this.timeout = b.timeout != null ? b.timeout
                : endpoint.kind() == Endpoint.Kind.UDP ? DEFAULT_DATAGRAM_TIMEOUT : DEFAULT_STREAM_TIMEOUT;
        this.retries = b.retries;
        this.connectTimeout = b.connectTimeout;
        this.socketOptions = new SocketOptions(b.tcpNoDelay, b.keepAlive, b.receiveBufferSize, b.sendBufferSize);
        this.keys = b.keys;
        this.legacyAuth = b.legacyAuth;
        this.json = b.json || b.legacyAuth != null;
        this.tls = b.tls;
        this.handshakeTimeout = b.handshakeTimeout;
        this.maxReply = b.maxReply;
        this.localAddress = b.localAddress;
        this.expect = b.expect;
        if (expect != null && !expect.replies()) {
            throw new IllegalArgumentException(expect.name() + (expect.output() != null
                    ? " sends without being asked, and a client prints replies (read it with nc, or measure it with jecho bench --mode download)"
                    : " answers nothing, so there is no reply to wait for (send to it with nc, or measure it with jecho bench --mode upload)"));
        }
    }

    /**
     * A builder for a client of {@code endpoint}, every other setting at its default.
     *
     * @param endpoint the server
     * @return a new builder
     */
    public static Builder builder(Endpoint endpoint) {
        return new Builder(endpoint);
    }

    /**
     * Where the client connects (TCP, Unix socket) or sends (UDP).
     *
     * @return the server's endpoint
     */
    public Endpoint endpoint() {
        return endpoint;
    }

    /**
     * The I/O transport asked for.
     *
     * @return the transport
     */
    public Transport transport() {
        return transport;
    }

    /**
     * How long to wait for a reply: for TCP and Unix sockets the whole reply (default 10 s); for UDP each
     * attempt (default 1 s).
     *
     * @return the timeout
     */
    public Duration timeout() {
        return timeout;
    }

    /**
     * UDP only: how many times a datagram without a reply is sent again before it counts as lost.
     *
     * @return the number of retries
     */
    public int retries() {
        return retries;
    }

    /**
     * How long to wait for a TCP or Unix-socket connection (default 5 s).
     *
     * @return the timeout
     */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** TCP_NODELAY, SO_KEEPALIVE and the buffer sizes, for the connection's bootstrap. */
    SocketOptions socketOptions() {
        return socketOptions;
    }

    /**
     * The keys, of which the first is the one to authenticate with.
     *
     * @return the keyring, or null for none
     */
    public Keyring keys() {
        return keys;
    }

    /**
     * The article's handshake instead of jecho's.
     *
     * @return its digest, or null for jecho's handshake (or none)
     */
    public LegacyDigest legacyAuth() {
        return legacyAuth;
    }

    /**
     * JSON messages: JSON Lines, or with {@link #legacyAuth()} values back to back.
     *
     * @return true for JSON messages
     */
    public boolean json() {
        return json;
    }

    /**
     * TLS and how the server's certificate is checked.
     *
     * @return the TLS, or null for none
     */
    public ClientTls tls() {
        return tls;
    }

    /**
     * How long the TLS and authentication handshakes may take after connecting.
     *
     * @return the timeout
     */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /**
     * The longest JSON reply accepted (default 16 MiB): a bound on the client's memory.
     *
     * @return bytes
     */
    public int maxReply() {
        return maxReply;
    }

    /**
     * The local address the client's socket is bound to before it connects (TCP) or sends (UDP), as
     * {@code nc -s} does. The port is always the system's choice.
     *
     * @return the address, or null: the system chooses
     */
    public InetAddress localAddress() {
        return localAddress;
    }

    /**
     * The service the server runs, which says what a reply to a message is; null (the default): any
     * registered service that answers, the first whose reply matches (on a raw stream: byte services, such as
     * upper and echo). A line service named here gets each message as a line (the message and {@code \n})
     * on a raw stream, and its reply is read up to its line end, which is not part of the reply returned.
     *
     * @return the service, or null for any
     */
    public Service expect() {
        return expect;
    }

    /** Sets a client's options; each setter checks its value, {@link #build()} checks that they fit together. */
    public static final class Builder {
        private final Endpoint endpoint;
        private Transport transport = Transport.AUTO;
        private Duration timeout;
        private int retries = DEFAULT_RETRIES;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private boolean tcpNoDelay = true;
        private boolean keepAlive;
        private int receiveBufferSize;
        private int sendBufferSize;
        private Keyring keys;
        private LegacyDigest legacyAuth;
        private boolean json;
        private ClientTls tls;
        private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
        private int maxReply = DEFAULT_MAX_REPLY;
        private InetAddress localAddress;
        private Service expect;

        private Builder(Endpoint endpoint) {
            this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
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
         * The read timeout: how long to wait for a reply (per attempt on UDP).
         *
         * @param timeout positive
         * @return this builder
         * @throws IllegalArgumentException when not positive
         */
        public Builder timeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, got " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * UDP: how many times to resend a datagram without a reply before reporting it lost (default 2).
         *
         * @param retries 0 or more
         * @return this builder
         * @throws IllegalArgumentException when negative
         */
        public Builder retries(int retries) {
            if (retries < 0) {
                throw new IllegalArgumentException("retries must be 0 or more, got " + retries);
            }
            this.retries = retries;
            return this;
        }

        /**
         * How long to wait for a TCP or Unix-socket connection (default 5 s).
         *
         * @param connectTimeout positive
         * @return this builder
         * @throws IllegalArgumentException when not positive
         */
        public Builder connectTimeout(Duration connectTimeout) {
            if (connectTimeout.isNegative() || connectTimeout.isZero()) {
                throw new IllegalArgumentException("connect timeout must be positive, got " + connectTimeout);
            }
            this.connectTimeout = connectTimeout;
            return this;
        }

        /**
         * TCP_NODELAY (default on: each message goes out at once instead of waiting to fill a segment).
         *
         * @param tcpNoDelay whether to set it
         * @return this builder
         */
        public Builder tcpNoDelay(boolean tcpNoDelay) {
            this.tcpNoDelay = tcpNoDelay;
            return this;
        }

        /**
         * SO_KEEPALIVE on TCP connections (default off: a client session is short).
         *
         * @param keepAlive whether to set it
         * @return this builder
         */
        public Builder keepAlive(boolean keepAlive) {
            this.keepAlive = keepAlive;
            return this;
        }

        /**
         * SO_RCVBUF and SO_SNDBUF.
         *
         * @param receiveBufferSize bytes, or 0 for the kernel's default
         * @param sendBufferSize    bytes, or 0 for the kernel's default
         * @return this builder
         */
        public Builder socketBuffers(int receiveBufferSize, int sendBufferSize) {
            this.receiveBufferSize = receiveBufferSize;
            this.sendBufferSize = sendBufferSize;
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
         * @param digest the digest, or null for jecho's handshake
         * @return this builder
         */
        public Builder legacyAuth(LegacyDigest digest) {
            this.legacyAuth = digest;
            return this;
        }

        /**
         * JSON Lines: each message one JSON value on its own line, each reply one too.
         *
         * @param json true for JSON messages
         * @return this builder
         */
        public Builder json(boolean json) {
            this.json = json;
            return this;
        }

        /**
         * TLS on a TCP or Unix-socket connection.
         *
         * @param tls how the server's certificate is checked, or null for no TLS
         * @return this builder
         */
        public Builder tls(ClientTls tls) {
            this.tls = tls;
            return this;
        }

        /**
         * How long the TLS and authentication handshakes may take together after connecting (default 10 s).
         *
         * @param timeout positive
         * @return this builder
         * @throws IllegalArgumentException when not positive
         */
        public Builder handshakeTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("handshake timeout must be positive, got " + timeout);
            }
            this.handshakeTimeout = timeout;
            return this;
        }

        /**
         * The longest JSON reply accepted (default 16 MiB); a longer one fails the exchange.
         *
         * @param maxReply bytes
         * @return this builder
         */
        public Builder maxReply(int maxReply) {
            this.maxReply = maxReply;
            return this;
        }

        /**
         * Sends from this local address (one of this machine's; on loopback any 127.0.0.x): the source
         * address the server sees. TCP and UDP only.
         *
         * @param localAddress the address, or null (the default): the system chooses
         * @return this builder
         */
        public Builder localAddress(InetAddress localAddress) {
            this.localAddress = localAddress;
            return this;
        }

        /**
         * What the server runs, so what its replies are (see {@link ClientConfig#expect()}); null for any
         * registered service. A service that never replies is refused at {@link #build()}: there is no reply to wait for.
         *
         * @param service the service, or null for any
         * @return this builder
         */
        public Builder expect(Service service) {
            this.expect = service;
            return this;
        }

        /**
         * The immutable configuration; {@link #connect()} builds and connects in one call.
         *
         * @return the configuration
         * @throws IllegalArgumentException when the options do not fit together (the message says why)
         */
        public ClientConfig build() {
            return new ClientConfig(this);
        }

        /**
         * Builds the configuration and connects.
         *
         * @return the connected client
         * @throws ClientException when the connection, TLS or the handshake fails
         * @throws IllegalArgumentException when the options do not fit together (the message says why)
         */
        public JechoClient connect() throws ClientException {
            return JechoClient.connect(build());
        }
    }
}
