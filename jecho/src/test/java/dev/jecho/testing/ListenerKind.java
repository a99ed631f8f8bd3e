package dev.jecho.testing;

import dev.jecho.Endpoint;
import dev.jecho.JechoServer;
import dev.jecho.Keyring;
import dev.jecho.ServerConfig;
import dev.jecho.ServerTls;
import dev.jecho.internal.keys.SharedKey;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The scenario matrix: every kind of stream listener a scenario runs over, TCP and Unix socket, each with and
 * without TLS, each carrying raw bytes, JSON Lines, or JSON Lines in authenticated session records (jecho's
 * handshake first). A kind starts a server of its kind and connects a matching client ({@link Session}), so a
 * scenario written once runs over all twelve:
 *
 * <pre>{@code
 * @ParameterizedTest
 * @MethodSource("dev.jecho.testing.ListenerKind#all")
 * void something(ListenerKind kind) throws Exception {
 *     try (JechoServer server = kind.start(dir, options -> options.service(Service.UPPER));
 *          Session client = kind.connect(server)) {
 *         client.send(kind.message("hello"));
 *         ...
 * }</pre>
 *
 * @param socket  TCP (on 127.0.0.1) or UNIX
 * @param tls     TLS on the listener (one self-signed certificate for the JVM, which the clients trust)
 * @param framing what the stream carries
 */
public record ListenerKind(Endpoint.Kind socket, boolean tls, Framing framing) {

    /** What a stream carries. */
    public enum Framing {
        /** Raw bytes: every chunk comes back transformed, the same length. */
        RAW,
        /** JSON Lines ({@code --json}): one value per line, answered compactly. */
        JSON_LINES,
        /** jecho's handshake, then JSON Lines in session records ({@code --json --secret-file}). */
        AUTHENTICATED
    }

    /** The key of every authenticated kind. */
    public static final SharedKey KEY = new SharedKey("matrix", filled(32, 0x5a));

    public ListenerKind {
        if (socket == Endpoint.Kind.UDP) {
            throw new IllegalArgumentException("the matrix is of stream listeners: TCP and UNIX");
        }
    }

    /** Every kind: TCP, then UNIX; without TLS, then with; raw, JSON Lines, authenticated. */
    public static Stream<ListenerKind> all() {
        List<ListenerKind> kinds = new ArrayList<>();
        for (Endpoint.Kind socket : new Endpoint.Kind[] {Endpoint.Kind.TCP, Endpoint.Kind.UNIX}) {
            for (boolean tls : new boolean[] {false, true}) {
                for (Framing framing : Framing.values()) {
                    kinds.add(new ListenerKind(socket, tls, framing));
                }
            }
        }
        return kinds.stream();
    }

    /** The kinds that carry one of {@code framings}. */
    public static Stream<ListenerKind> carrying(Framing... framings) {
        List<Framing> wanted = Arrays.asList(framings);
        return all().filter(k -> wanted.contains(k.framing));
    }

    /** The kinds over TCP: where per-source limits, PROXY headers and addresses matter. */
    public static Stream<ListenerKind> overTcp() {
        return all().filter(k -> k.socket == Endpoint.Kind.TCP);
    }

    /** The kind without TLS or framing on this socket: raw bytes over plain TCP or a plain Unix socket. */
    public boolean plainRaw() {
        return !tls && framing == Framing.RAW;
    }

    /** Whether a message is a JSON line (JSON Lines and authenticated kinds). */
    public boolean json() {
        return framing != Framing.RAW;
    }

    /**
     * Adds this kind's listener ({@code 127.0.0.1:0}, or {@code s.sock} in {@code dir}) and mode to a server's options.
     *
     * @return the builder
     */
    public ServerConfig.Builder listen(ServerConfig.Builder builder, Path dir) {
        if (socket == Endpoint.Kind.TCP) {
            builder.tcp("127.0.0.1", 0);
        } else {
            builder.unix(dir.resolve("s.sock"));
        }
        if (tls) {
            builder.tls(Certificate.SERVER);
        }
        if (framing != Framing.RAW) {
            builder.json(true);
        }
        if (framing == Framing.AUTHENTICATED) {
            builder.keys(keys());
        }
        return builder;
    }

    /** Starts a server of this kind with the given options on top (the socket file in {@code dir} for UNIX). */
    public JechoServer start(Path dir, Consumer<ServerConfig.Builder> options) throws IOException {
        ServerConfig.Builder builder = listen(JechoServer.builder(), dir);
        options.accept(builder);
        return builder.start();
    }

    /** The keyring of the authenticated kinds. */
    public static Keyring keys() {
        return KEY.toKeyring();
    }

    /** A client of this kind, connected to the server's first listener: TLS and the handshake done. */
    public Session connect(JechoServer server) throws IOException {
        return connect(server.boundEndpoints().get(0));
    }

    /** A client of this kind: TLS (trusting the matrix's certificate) and the handshake done, when the kind has them. */
    public Session connect(Endpoint endpoint) throws IOException {
        return Session.open(this, StreamClient.connect(endpoint, tls ? Certificate.TRUSTING : null));
    }

    /** The same from a chosen local address (TCP; 127.0.0.x is a distinct source on loopback). */
    public Session connectFrom(Endpoint endpoint, String localAddress) throws IOException {
        return Session.open(this, StreamClient.connectFrom(endpoint, localAddress, tls ? Certificate.TRUSTING : null));
    }

    /** The socket only (TLS done when the kind has it, nothing else): for a scenario that speaks the framing itself. */
    public StreamClient socketTo(Endpoint endpoint) throws IOException {
        return StreamClient.connect(endpoint, tls ? Certificate.TRUSTING : null);
    }

    /** The TLS a scenario's own client trusts the matrix's certificate with, or null for a kind without TLS. */
    public SSLContext clientTls() {
        return tls ? Certificate.TRUSTING : null;
    }

    /**
     * One message of this kind that the upper service answers with {@link dev.jecho.testing.Payloads#upper} of it,
     * the same length: the text's bytes (raw), or the text as a JSON string on a line of its own.
     *
     * @param text lower-case letters, digits, spaces and punctuation but no quote, backslash or control character
     */
    public byte[] message(String text) {
        return (json() ? "\"" + text + "\"\n" : text).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * About {@code size} bytes of messages, as a client that streams would send them: random bytes (raw), or
     * JSON strings of random lower-case letters, one per line. The upper service answers them with
     * {@link Payloads#upper}, byte for byte.
     */
    public byte[] stream(java.util.Random random, int size) {
        if (!json()) {
            return Payloads.random(random, size, size);
        }
        StringBuilder sb = new StringBuilder(size + 100);
        while (sb.length() < size) {
            int n = 1 + random.nextInt(200);
            sb.append('"');
            for (int i = 0; i < n; i++) {
                sb.append((char) ('a' + random.nextInt(26)));
            }
            sb.append("\"\n");
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** As the parameterized tests show it: {@code tcp raw}, {@code unix+tls json}, {@code tcp+tls auth}. */
    @Override
    public String toString() {
        return socket.scheme() + (tls ? "+tls" : "") + " "
                + (framing == Framing.RAW ? "raw" : framing == Framing.JSON_LINES ? "json" : "auth").toLowerCase(Locale.ROOT);
    }

    private static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }

    /** One self-signed certificate for the JVM's matrix servers, and a client context that trusts it. */
    private static final class Certificate {
        static final ServerTls SERVER = ServerTls.selfSigned(List.of("localhost"), List.of(loopback()));
        static final SSLContext TRUSTING = trusting(SERVER);

        private static InetAddress loopback() {
            try {
                return InetAddress.getByName("127.0.0.1");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        private static SSLContext trusting(ServerTls server) {
            try {
                KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
                trust.load(null, null);
                trust.setCertificateEntry("jecho", server.certificate());
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, tmf.getTrustManagers(), null);
                return context;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
