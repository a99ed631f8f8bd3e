package dev.jecho.cli;

import dev.jecho.keys.Keyring;
import dev.jecho.keys.SharedKey;
import dev.jecho.protocol.handshake.LegacyDigest;
import dev.jecho.server.JechoServer;
import dev.jecho.server.ListenerException;
import dev.jecho.server.ServerConfig;
import dev.jecho.service.Service;
import dev.jecho.tls.ServerTls;
import dev.jecho.tls.TlsException;
import dev.jecho.transport.Endpoint;
import dev.jecho.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code jecho server}: listens until Ctrl-C or SIGTERM. */
@Command(name = "server",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
                "Runs the echo server. With no listener options it listens on TCP and UDP 127.0.0.1:8888.",
                "Every client is served at once; Ctrl-C or SIGTERM stops it.",
        },
        footer = {
                "%nExamples:",
                "  jecho server                                   TCP and UDP on 127.0.0.1:8888, service upper",
                "  jecho server --tcp [::1]:7 --service echo      RFC 862 echo on IPv6 loopback",
                "  jecho server --tcp 127.0.0.1:0 --unix /tmp/jecho.sock",
                "  jecho server --json --secret-file k.key        authenticated JSON Lines",
                "  jecho server --json --secret-file k.key --tls  the same in TLS (self-signed)",
                "  jecho server --legacy-auth md5 --secret-file salt.key    (the article's wire)",
                ExitCodes.HELP_FOOTER,
        })
final class ServerCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(ServerCommand.class);

    private final Io io;

    @Mixin
    LoggingOptions logging;

    @Option(names = "--tcp", paramLabel = "HOST:PORT", converter = Converters.TcpListener.class,
            description = "Listen on TCP (repeatable). Port 0 picks a free port; IPv6 as [::1]:8888.")
    List<Endpoint> tcp = new ArrayList<>();

    @Option(names = "--udp", paramLabel = "HOST:PORT", converter = Converters.UdpListener.class,
            description = "Listen on UDP (repeatable).")
    List<Endpoint> udp = new ArrayList<>();

    @Option(names = "--unix", paramLabel = "PATH", converter = Converters.UnixListener.class,
            description = "Listen on a Unix socket (repeatable); created with mode 0600, a stale file is replaced.")
    List<Endpoint> unix = new ArrayList<>();

    @Option(names = "--service", paramLabel = "NAME", converter = Converters.ServiceName.class,
            description = "What a message gets back: upper (ASCII upper case, the article's) or echo (RFC 862)."
                    + " Default: upper; echo with --legacy-auth (the article's authenticated server echoes).")
    Service service;

    @Mixin
    SecretOptions secret;

    @Option(names = "--json",
            description = "JSON messages on TCP and Unix sockets: one value per line, answered with the same value"
                    + " re-serialized compactly (upper: string values upper-cased); bad input gets a JSON error line.")
    boolean json;

    @Option(names = "--max-line", paramLabel = "SIZE", defaultValue = "1MiB", converter = Converters.Size.class,
            description = "JSON: the longest message; a longer one gets an error and the connection closes. Default: ${DEFAULT-VALUE}.")
    int maxLine;

    @Option(names = {"--auth-timeout", "--handshake-timeout"}, paramLabel = "DURATION", defaultValue = "10s", converter = Converters.DurationValue.class,
            description = "With a secret: a client must finish authenticating this long after it connected, or it is"
                    + " disconnected (an absolute deadline, not reset by traffic). Default: ${DEFAULT-VALUE}.")
    Duration authTimeout;

    @Option(names = "--legacy-auth", paramLabel = "DIGEST", converter = Converters.LegacyDigestName.class,
            description = {"Speak the article's handshake (md5 or sha256) instead of jecho's, and its JSON values"
                    + " back to back, so the article's Python client works. Needs a secret; accepts its short"
                    + " salt with a warning. Authenticates the client only and protects no message."})
    LegacyDigest legacyAuth;

    @Option(names = "--tls",
            description = "TLS 1.2+ on TCP and Unix listeners. Without --tls-cert, a self-signed certificate is made"
                    + " and its SHA-256 fingerprint printed, for clients' --pin-sha256.")
    boolean tls;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "The server's certificate chain (PEM, leaf first); implies --tls.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "The certificate's private key (unencrypted PKCS#8 PEM).")
    Path tlsKey;

    @Option(names = "--transport", paramLabel = "NAME", defaultValue = "auto", converter = Converters.TransportName.class,
            description = "I/O transport: auto, epoll, io_uring or nio. Default: ${DEFAULT-VALUE}.")
    Transport transport;

    @Option(names = "--backlog", paramLabel = "N", defaultValue = "" + ServerConfig.DEFAULT_BACKLOG,
            description = "Accept queue length for TCP and Unix listeners. Default: ${DEFAULT-VALUE}.")
    int backlog;

    @Option(names = "--io-threads", paramLabel = "N", defaultValue = "0",
            description = "Event loop threads; 0 means one per CPU. Default: ${DEFAULT-VALUE}.")
    int ioThreads;

    @Option(names = "--no-connection-log", negatable = false,
            description = "Do not log each connect and disconnect (they are rate-limited to 50 lines/s anyway).")
    boolean noConnectionLog;

    private ServerTls tls() {
        if (tlsKey != null && tlsCert == null) {
            throw new CliException(ExitCodes.USAGE, "--tls-key needs --tls-cert (or drop both for a self-signed certificate)");
        }
        if (tlsCert != null) {
            if (tlsKey == null) {
                throw new CliException(ExitCodes.USAGE, "--tls-cert needs --tls-key, the certificate's private key");
            }
            try {
                return ServerTls.fromPem(tlsCert, tlsKey);
            } catch (TlsException e) {
                throw new CliException(ExitCodes.ERROR, e.getMessage());
            }
        }
        if (!tls) {
            return null;
        }
        List<String> names = new ArrayList<>(List.of("localhost"));
        List<InetAddress> addresses = new ArrayList<>();
        for (Endpoint endpoint : tcp) {
            try {
                InetAddress address = InetAddress.getByName(endpoint.host());
                if (!address.isAnyLocalAddress() && !addresses.contains(address)) {
                    addresses.add(address);
                }
            } catch (UnknownHostException ignored) {
                // the listener reports an unknown host itself
            }
            if (!Character.isDigit(endpoint.host().charAt(0)) && !endpoint.host().contains(":") && !names.contains(endpoint.host())) {
                names.add(endpoint.host());
            }
        }
        for (String loopback : new String[] {"127.0.0.1", "::1"}) {
            try {
                InetAddress address = InetAddress.getByName(loopback);
                if (!addresses.contains(address)) {
                    addresses.add(address);
                }
            } catch (UnknownHostException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
        return ServerTls.selfSigned(names, addresses);
    }

    private void warnAboutLegacyMode(Keyring keys) {
        if (legacyAuth == null) {
            return;
        }
        LOG.warn("--legacy-auth {}: the article's handshake authenticates the client only and protects no message"
                + " (anyone on the path can read, inject or alter them); use the jecho handshake where you can", legacyAuth.cliName());
        if (keys.shortestKeyLength() < SharedKey.MIN_LENGTH) {
            LOG.warn("the key is {} bytes, shorter than the {} RFC 2104 asks for: accepted for the article's compatibility only",
                    keys.shortestKeyLength(), SharedKey.MIN_LENGTH);
        }
    }

    ServerCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws ListenerException {
        logging.apply();
        ServerConfig.Builder config = ServerConfig.builder()
                .transport(transport)
                .backlog(backlog)
                .ioThreads(ioThreads)
                .logConnections(!noConnectionLog);
        tcp.forEach(config::listen);
        udp.forEach(config::listen);
        unix.forEach(config::listen);
        if (service != null) {
            config.service(service);
        }
        Keyring keys = secret.load(io, legacyAuth != null ? 1 : SharedKey.MIN_LENGTH);
        if (legacyAuth != null && keys == null) {
            throw new CliException(ExitCodes.USAGE, "--legacy-auth needs the article's key: --secret-file PATH"
                    + " (its salt \"SOCKET SERVER\" is U09DS0VUIFNFUlZFUg== in base64)");
        }
        if (legacyAuth != null && !udp.isEmpty()) {
            throw new CliException(ExitCodes.USAGE, "--legacy-auth is for TCP and Unix sockets: the article's handshake has no UDP form");
        }
        ServerTls serverTls = tls();
        ServerConfig built;
        try {
            built = config.keys(keys).legacyAuth(legacyAuth).json(json).maxLine(maxLine).handshakeTimeout(authTimeout)
                    .tls(serverTls).build();
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage() + " (see 'jecho server --help')");
        }
        warnAboutLegacyMode(keys);

        JechoServer server = JechoServer.start(built);
        // Before announcing the listeners: whoever reads them may signal us at once.
        Signals.onTermination(() -> {
            LOG.info("stopping: no new connections, closing the open ones");
            server.close();
        });
        io.out().printf("jecho %s server: service %s%s, transport %s%n",
                VersionProvider.jechoVersion(), built.service().cliName(), built.json() ? " (JSON)" : "", server.transport().cliName());
        if (keys != null) {
            io.out().println("authentication: " + (legacyAuth != null ? "the article's legacy handshake (" + legacyAuth.cliName() + ")"
                    : "jecho handshake") + ", " + keys.keys().size() + (keys.keys().size() == 1 ? " key" : " keys"));
        }
        if (serverTls != null) {
            io.out().println("tls: " + (serverTls.isSelfSigned() ? "self-signed certificate" : "certificate " + tlsCert)
                    + ", SHA-256 fingerprint " + serverTls.fingerprint());
        }
        for (Endpoint endpoint : server.boundEndpoints()) {
            io.out().println("listening on " + endpoint);
        }
        io.out().flush();
        server.terminationFuture().join();
        LOG.info("stopped");
        return ExitCodes.OK;
    }
}
