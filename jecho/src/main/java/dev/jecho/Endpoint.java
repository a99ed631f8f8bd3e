package dev.jecho;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a listener binds or a client connects: a TCP or UDP host and port, or a Unix-socket path.
 *
 * <p>Text forms, as the CLI accepts them: {@code tcp://HOST:PORT} (or plain {@code HOST:PORT}),
 * {@code udp://HOST:PORT}, {@code unix:PATH}. IPv6 literals are bracketed: {@code [::1]:8888}.
 *
 * @param kind the socket family and type
 * @param host the host name or address (TCP, UDP); null for a Unix socket
 * @param port the port, 0 to let the system choose one (TCP, UDP); 0 for a Unix socket
 * @param path the socket file (Unix); null otherwise
 */
public record Endpoint(Kind kind, String host, int port, Path path) {

    /** The socket family and type of an endpoint. */
    public enum Kind {
        /** A TCP stream. */
        TCP,
        /** UDP datagrams. */
        UDP,
        /** A Unix-domain stream socket. */
        UNIX;

        /**
         * The scheme of the text form.
         *
         * @return {@code tcp}, {@code udp} or {@code unix}
         */
        public String scheme() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Checks the parts: a kind; a path for a Unix socket, else a host and a port from 0 to 65535.
     *
     * @param kind the socket family and type
     * @param host the host (TCP, UDP)
     * @param port the port (TCP, UDP)
     * @param path the socket file (Unix)
     * @throws IllegalArgumentException when the port is out of range
     */
    public Endpoint {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.UNIX) {
            Objects.requireNonNull(path, "path");
        } else {
            Objects.requireNonNull(host, "host");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range 0-65535: " + port);
            }
        }
    }

    /**
     * A TCP endpoint.
     *
     * @param host a host name or address
     * @param port the port; 0 for a listener lets the system choose
     * @return the endpoint
     */
    public static Endpoint tcp(String host, int port) {
        return new Endpoint(Kind.TCP, host, port, null);
    }

    /**
     * A UDP endpoint.
     *
     * @param host a host name or address
     * @param port the port; 0 for a listener lets the system choose
     * @return the endpoint
     */
    public static Endpoint udp(String host, int port) {
        return new Endpoint(Kind.UDP, host, port, null);
    }

    /**
     * A Unix-socket endpoint.
     *
     * @param path the socket file
     * @return the endpoint
     */
    public static Endpoint unix(Path path) {
        return new Endpoint(Kind.UNIX, null, 0, path);
    }

    /**
     * Parses a client URL: {@code [tcp://]HOST:PORT}, {@code udp://HOST:PORT} or {@code unix:PATH}.
     *
     * @param text the URL
     * @return the endpoint
     * @throws IllegalArgumentException with a message fit for a user
     */
    public static Endpoint parse(String text) {
        String t = text.trim();
        if (t.startsWith("unix://")) {
            return unixOf(t.substring("unix://".length()), text);
        }
        if (t.startsWith("unix:")) {
            return unixOf(t.substring("unix:".length()), text);
        }
        if (t.startsWith("udp://")) {
            return parseHostPort(Kind.UDP, t.substring("udp://".length()));
        }
        if (t.startsWith("tcp://")) {
            return parseHostPort(Kind.TCP, t.substring("tcp://".length()));
        }
        if (t.contains("://")) {
            throw new IllegalArgumentException("unknown scheme in '" + text + "': use tcp://, udp:// or unix:");
        }
        return parseHostPort(Kind.TCP, t);
    }

    private static Endpoint unixOf(String path, String original) {
        if (path.isEmpty()) {
            throw new IllegalArgumentException("missing socket path in '" + original + "': use unix:/path/to/socket");
        }
        return unix(Path.of(path));
    }

    /**
     * Parses {@code HOST:PORT} (or {@code [IPv6]:PORT}) for a listener or client of the given kind.
     *
     * @param kind TCP or UDP (for UNIX, {@code text} is the path)
     * @param text the address
     * @return the endpoint
     * @throws IllegalArgumentException with a message fit for a user
     */
    public static Endpoint parseHostPort(Kind kind, String text) {
        if (kind == Kind.UNIX) {
            return unixOf(text, text);
        }
        String host;
        String portText;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("expected [IPv6]:PORT, got '" + text + "'");
            }
            host = text.substring(1, close);
            portText = text.substring(close + 2);
        } else {
            int colon = text.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("expected HOST:PORT, got '" + text + "'");
            }
            host = text.substring(0, colon);
            portText = text.substring(colon + 1);
            if (host.indexOf(':') >= 0) {
                throw new IllegalArgumentException("IPv6 addresses need brackets: [" + host + "]:" + portText);
            }
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("missing host in '" + text + "'");
        }
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port is not a number in '" + text + "'");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range 0-65535 in '" + text + "'");
        }
        return new Endpoint(kind, host, port, null);
    }

    /**
     * The same endpoint on another port (the port a listener actually bound, say).
     *
     * @param newPort the port
     * @return the endpoint
     */
    public Endpoint withPort(int newPort) {
        return new Endpoint(kind, host, newPort, path);
    }

    /**
     * The socket address of a TCP or UDP endpoint, its host name resolved.
     *
     * @return the address (unresolved when the name does not resolve)
     * @throws IllegalStateException for a Unix-socket endpoint
     */
    public InetSocketAddress inetSocketAddress() {
        if (kind == Kind.UNIX) {
            throw new IllegalStateException("a Unix-socket endpoint has no inet address");
        }
        return new InetSocketAddress(host, port);
    }

    /**
     * The address part of the text form.
     *
     * @return {@code HOST:PORT} with brackets around IPv6 literals, or the socket path
     */
    public String address() {
        if (kind == Kind.UNIX) {
            return path.toString();
        }
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /**
     * The text form, as {@link #parse} reads it.
     *
     * @return {@code tcp://HOST:PORT}, {@code udp://HOST:PORT} or {@code unix:PATH}
     */
    @Override
    public String toString() {
        return kind == Kind.UNIX ? "unix:" + path : kind.scheme() + "://" + address();
    }
}
