package dev.jecho.server;

import dev.jecho.service.Service;
import dev.jecho.transport.Endpoint;
import dev.jecho.transport.Transport;

import java.nio.file.Path;
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

    private final List<Endpoint> listeners;
    private final Service service;
    private final Transport transport;
    private final int backlog;
    private final int ioThreads;
    private final boolean logConnections;
    private final int writeBufferLow;
    private final int writeBufferHigh;

    private ServerConfig(Builder b) {
        this.listeners = b.listeners.isEmpty()
                ? List.of(Endpoint.tcp(DEFAULT_HOST, DEFAULT_PORT), Endpoint.udp(DEFAULT_HOST, DEFAULT_PORT))
                : List.copyOf(b.listeners);
        this.service = b.service;
        this.transport = b.transport;
        this.backlog = b.backlog;
        this.ioThreads = b.ioThreads;
        this.logConnections = b.logConnections;
        this.writeBufferLow = b.writeBufferLow;
        this.writeBufferHigh = b.writeBufferHigh;
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

        public ServerConfig build() {
            return new ServerConfig(this);
        }

        /** Builds the configuration and starts a server with it. */
        public JechoServer start() throws ListenerException {
            return JechoServer.start(build());
        }
    }
}
