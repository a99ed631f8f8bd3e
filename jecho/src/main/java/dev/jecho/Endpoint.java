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
 */
public record Endpoint(Kind kind, String host, int port, Path path) {

    /** The socket family and type of an endpoint. */
    public enum Kind {
        TCP, UDP, UNIX;

        public String scheme() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

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

    public static Endpoint tcp(String host, int port) {
        return new Endpoint(Kind.TCP, host, port, null);
    }

    public static Endpoint udp(String host, int port) {
        return new Endpoint(Kind.UDP, host, port, null);
    }

    public static Endpoint unix(Path path) {
        return new Endpoint(Kind.UNIX, null, 0, path);
    }

    /**
     * Parses a client URL: {@code [tcp://]HOST:PORT}, {@code udp://HOST:PORT} or {@code unix:PATH}.
     *
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

    /** Parses {@code HOST:PORT} (or {@code [IPv6]:PORT}) for a listener or client of the given kind. */
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

    /** The same endpoint on another port (the port a listener actually bound, say). */
    public Endpoint withPort(int newPort) {
        return new Endpoint(kind, host, newPort, path);
    }

    /** An unresolved-free socket address for TCP and UDP endpoints (resolves the host name). */
    public InetSocketAddress inetSocketAddress() {
        if (kind == Kind.UNIX) {
            throw new IllegalStateException("a Unix-socket endpoint has no inet address");
        }
        return new InetSocketAddress(host, port);
    }

    /** {@code HOST:PORT} with brackets around IPv6 literals, or the socket path. */
    public String address() {
        if (kind == Kind.UNIX) {
            return path.toString();
        }
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return kind == Kind.UNIX ? "unix:" + path : kind.scheme() + "://" + address();
    }
}
