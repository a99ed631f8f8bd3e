package dev.jecho.cli;

import dev.jecho.Endpoint;
import dev.jecho.Fault;
import dev.jecho.JechoServer;
import dev.jecho.Keyring;
import dev.jecho.LegacyDigest;
import dev.jecho.ListenerException;
import dev.jecho.MetricsRecorder;
import dev.jecho.ServerConfig;
import dev.jecho.ServerTls;
import dev.jecho.Service;
import dev.jecho.internal.keys.SharedKey;
import dev.jecho.TlsException;
import dev.jecho.Transport;
import dev.jecho.internal.tls.SelfSignedStore;
import dev.jecho.metrics.MetricsHttpServer;
import dev.jecho.metrics.PrometheusMetrics;
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
        modelTransformer = ServicesHelp.class,
        description = {
                "Runs the echo server. With no listener options it listens on TCP and UDP 127.0.0.1:8888"
                        + " (TCP only for a service kept off UDP, such as chargen).",
                "Every client is served at once; Ctrl-C or SIGTERM stops it.",
        },
        footer = {
                "%nExamples:",
                "  jecho server                                 TCP and UDP on 127.0.0.1:8888",
                "  jecho server --tcp [::1]:7 --service echo    RFC 862 echo on IPv6 loopback",
                "  jecho server --service discard               for jecho bench --mode upload",
                "  jecho server --service chargen               TCP only; bench --mode download",
                "  jecho server --tcp 127.0.0.1:0 --unix /tmp/jecho.sock",
                "  jecho server --tcp 0.0.0.0:8888 --allow-insecure --limit-exempt 10.1.2.0/24",
                "  jecho server --json --secret-file k.key      authenticated JSON Lines",
                "  jecho server --json --secret-file k.key --tls    the same in TLS",
                "  jecho server --legacy-auth md5 --secret-file salt.key    the article's wire",
                "  jecho server --metrics 127.0.0.1:9100 --no-connection-log",
                "  jecho server --tcp 127.0.0.1:9001 --proxy-protocol --trusted-proxy 127.0.0.1",
                "  jecho server --tcp 0.0.0.0:8888 --allow-insecure --proxy-protocol \\",
                "      --trusted-proxy 10.0.0.0/24                       HAProxy on 10.0.0.0/24",
                "%nMetrics (with --metrics HOST:PORT):",
                "  curl http://HOST:PORT/metrics      Prometheus text: connections, messages,",
                "                                     bytes, handshakes, datagram drops,",
                "                                     processing time, JVM and Netty memory,",
                "                                     kernel listen-queue overflows",
                "  curl http://HOST:PORT/health       200 ok while accepting, 503 once stopping",
                "  curl http://HOST:PORT/connections  open connections as JSON, with the",
                "                                     kernel's TCP view (state, RTT, retransmits,",
                "                                     cwnd) on epoll and io_uring;",
                "                                     ?format=text for a table",
                "%nSocket activation: started by systemd with sockets handed over (LISTEN_FDS: a .socket unit's",
                "TCP, UDP and Unix stream sockets), jecho serves them, before any --tcp, --udp or --unix, and opens",
                "no default listener. A restart loses no connection attempt: they queue on the sockets meanwhile.",
                "%nFaults (--fault SPEC, repeatable), for testing clients. A SPEC is",
                "TYPE[=VALUE][,KEY=VALUE]... (';' separates too). SIZE: 100, 64KiB, 1MiB;",
                "TIME: 500ms, 2s; FRACTION: 0.1 or 10%%. On TCP and Unix connections:",
                "  latency=TIME[,jitter=TIME]      each reply late by TIME +- jitter",
                "  bandwidth=SIZE                  at most SIZE bytes a second",
                "  slice=SIZE[-SIZE][,delay=TIME]  writes cut into pieces, TIME apart",
                "  stall[=SIZE|TIME]               nothing more after SIZE bytes or TIME",
                "  close-after=SIZE|TIME           a clean FIN after SIZE bytes or TIME",
                "  reset-after=SIZE|TIME           an RST after SIZE bytes or TIME",
                "  slow-close=TIME                 the server's FIN TIME late",
                "  refuse                          closed at accept, before a byte",
                "  corrupt=SIZE                    one bit flipped every SIZE bytes",
                "  each with [,stream=down|up] (replies, the default, or requests) and",
                "  [,toxicity=FRACTION] (the share of connections that meet it). On UDP replies:",
                "  loss=FRACTION[,burst=N]   duplicate=FRACTION   truncate=SIZE",
                "  reorder=FRACTION[,delay=TIME]   delay=TIME[,jitter=TIME]",
                "Any fault takes [,name=NAME] (default: its type). Examples:",
                "  jecho server --fault latency=50ms,jitter=10ms \\",
                "      --fault 'reset-after=64KiB;toxicity=0.1'",
                "  jecho server --udp 127.0.0.1:0 --fault loss=5%%,burst=3 --fault-seed 42",
                "%nLimits: every one has a safe default; see 'Limits and security' in the README for the reasoning.",
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
            completionCandidates = Converters.ServiceNames.class,
            description = "What a message gets back: ${COMPLETION-CANDIDATES} (see Services below)."
                    + " Default: upper; echo with --legacy-auth (the article's authenticated server echoes).")
    Service service;

    @Mixin
    SecretOptions secret;

    @Option(names = "--json",
            description = "JSON messages on TCP and Unix sockets: one value per line, answered with the same value"
                    + " re-serialized compactly (upper: string values upper-cased); bad input gets a JSON error line.")
    boolean json;

    @Option(names = "--max-line", paramLabel = "SIZE", defaultValue = "1MiB", converter = Converters.PositiveByteSize.class,
            description = "JSON, and a line service: the longest message; a longer one (JSON: after an error line) closes"
                    + " the connection. Default: ${DEFAULT-VALUE}.")
    int maxLine;

    @Option(names = "--max-partial-bytes", paramLabel = "SIZE", defaultValue = "0", converter = Converters.ByteSize.class,
            description = "JSON: the most bytes all connections together may hold in unfinished messages; past it, the"
                    + " connection whose message needs more gets server_busy and is closed. At least --max-line;"
                    + " 0: a quarter of the direct-memory limit (-XX:MaxDirectMemorySize). Default: ${DEFAULT-VALUE}.")
    int maxPartialBytes;

    @Option(names = {"--auth-timeout", "--handshake-timeout"}, paramLabel = "DURATION", defaultValue = "10s", converter = Converters.PositiveDuration.class,
            description = "With a secret: a client must finish authenticating this long after it connected, or it is"
                    + " disconnected: an absolute deadline that no byte extends (OpenSSH's LoginGraceTime)."
                    + " Default: ${DEFAULT-VALUE}.")
    Duration authTimeout;

    @Option(names = "--legacy-auth", paramLabel = "DIGEST", converter = Converters.LegacyDigestName.class,
            description = {"Speak the article's handshake (md5 or sha256) instead of jecho's, and its JSON values"
                    + " back to back, so the article's Python client works. Needs a secret; accepts its short"
                    + " salt with a warning. Authenticates the client only and protects no message."})
    LegacyDigest legacyAuth;

    @Option(names = "--tls",
            description = "TLS 1.2+ on TCP and Unix listeners. Without --tls-cert, a self-signed certificate: made at"
                    + " the first start and kept (see --tls-state), so its SHA-256 fingerprint, printed for clients'"
                    + " --pin-sha256, stays the same.")
    boolean tls;

    @Option(names = "--tls-state", paramLabel = "DIR",
            description = "Where --tls keeps its self-signed certificate and key (self-signed.pem, mode 0600; the"
                    + " directory is made with mode 0700). Default: $STATE_DIRECTORY/tls under systemd, else"
                    + " $XDG_STATE_HOME/jecho/tls, else ~/.local/state/jecho/tls.")
    Path tlsState;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "The server's certificate chain (PEM, leaf first); implies --tls.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "The certificate's private key (unencrypted PKCS#8 PEM).")
    Path tlsKey;

    @Option(names = "--transport", paramLabel = "NAME", defaultValue = "auto", converter = Converters.TransportName.class,
            description = "I/O transport: auto, epoll, io_uring or nio. Default: ${DEFAULT-VALUE}.")
    Transport transport;

    @Option(names = "--backlog", paramLabel = "N", defaultValue = "" + ServerConfig.DEFAULT_BACKLOG, converter = Converters.PositiveCount.class,
            description = "Accept queue length for TCP and Unix listeners. Default: ${DEFAULT-VALUE}.")
    int backlog;

    @Option(names = "--io-threads", paramLabel = "N", defaultValue = "0", converter = Converters.NonNegativeCount.class,
            description = "Event loop threads; 0: one per two CPUs, at least one (measured: the kernel's network stack"
                    + " needs CPU too, see docs/benchmarks.md). Default: ${DEFAULT-VALUE}.")
    int ioThreads;

    @Option(names = "--no-connection-log", negatable = false,
            description = "Do not log each connect and disconnect (they are rate-limited to 50 lines/s anyway);"
                    + " for load tests. The metrics still count every connection.")
    boolean noConnectionLog;

    @Option(names = "--metrics", paramLabel = "HOST:PORT", converter = Converters.MetricsAddress.class,
            description = "Serve Prometheus metrics at http://HOST:PORT/metrics, plus /health and /connections."
                    + " Port 0 picks a free port. Bind it to an address only operators reach: /connections lists clients.")
    Endpoint metrics;

    @Option(names = "--proxy-protocol", negatable = false,
            description = "TCP listeners sit behind HAProxy or nginx: every connection must start with a PROXY protocol"
                    + " v1 or v2 header from a --trusted-proxy, and the client address it names is used everywhere"
                    + " (logs, limits, metrics). A connection without a valid header is closed.")
    boolean proxyProtocol;

    @Option(names = "--trusted-proxy", paramLabel = "CIDR",
            description = "A network allowed to send PROXY headers (repeatable), e.g. 10.0.0.0/24 or 192.0.2.7;"
                    + " --proxy-protocol needs at least one: a header names the client, so only the load balancers may send one.")
    List<String> trustedProxies = new ArrayList<>();

    @Option(names = "--no-tcp-nodelay", negatable = false,
            description = "Leave Nagle's algorithm on for accepted TCP connections (TCP_NODELAY is on by default).")
    boolean noTcpNoDelay;

    @Option(names = "--no-keepalive", negatable = false,
            description = "Do not set SO_KEEPALIVE on accepted TCP connections (on by default).")
    boolean noKeepAlive;

    @Option(names = "--recv-buffer", paramLabel = "SIZE", converter = Converters.ByteSize.class, defaultValue = "0",
            description = "SO_RCVBUF of accepted connections and UDP listeners, e.g. 256k. Default: the kernel's (auto-tuned).")
    int receiveBuffer;

    @Option(names = "--send-buffer", paramLabel = "SIZE", converter = Converters.ByteSize.class, defaultValue = "0",
            description = "SO_SNDBUF of accepted connections and UDP listeners, e.g. 256k. Default: the kernel's (auto-tuned).")
    int sendBuffer;

    @Option(names = "--max-connections", paramLabel = "N", defaultValue = "" + ServerConfig.DEFAULT_MAX_CONNECTIONS,
            converter = Converters.PositiveCount.class,
            description = {"Open TCP and Unix connections, all listeners together; past it a new connection is closed at once"
                    + " and counted, the open ones are untouched. Lowered to fit below the open-file limit (ulimit -n)"
                    + " with 256 files to spare. Default: ${DEFAULT-VALUE} (Redis's maxclients)."})
    int maxConnections;

    @Option(names = "--max-connections-per-ip", paramLabel = "N", defaultValue = "0", converter = Converters.NonNegativeCount.class,
            description = "Open connections per source (--source-prefix); 0: no cap (one machine may run a benchmark)."
                    + " A refused connection adds to the source's penalty. Default: ${DEFAULT-VALUE}.")
    int maxConnectionsPerIp;

    @Option(names = "--max-startups", paramLabel = "START:RATE:FULL", defaultValue = "128:30:256",
            description = "With a secret: connections not yet authenticated, all sources together, as OpenSSH's MaxStartups."
                    + " From START on a new one is refused with probability RATE%% rising to 100%% at FULL (random early"
                    + " drop), so a handshake flood cannot take every slot. A single N means a hard cap. Default: ${DEFAULT-VALUE}.")
    String maxStartups;

    @Option(names = "--max-startups-per-ip", paramLabel = "N", defaultValue = "" + ServerConfig.DEFAULT_MAX_STARTUPS_PER_IP,
            converter = Converters.NonNegativeCount.class,
            description = "With a secret: connections not yet authenticated per source (OpenSSH's PerSourceMaxStartups;"
                    + " a source is a --source-prefix block), so one source cannot hold every startup slot; 0: no cap. Default: ${DEFAULT-VALUE}.")
    int maxStartupsPerIp;

    @Option(names = "--penalties", paramLabel = "SPEC",
            defaultValue = "authfail:5s,timeout:10s,refused:1s,noauth:1s,min:15s,max:10m,max-sources:65536",
            description = "Per-source penalties, as OpenSSH's PerSourcePenalties: each failed authentication or TLS handshake,"
                    + " handshake timeout, refused connection and hang-up during the handshake (noauth) adds its time to"
                    + " the source's penalty; past min the source is refused until the penalty runs out (at most max)."
                    + " At most max-sources sources are tracked. Give only the keys to change, or 'off'. Default: ${DEFAULT-VALUE}.")
    String penalties;

    @Option(names = "--source-prefix", paramLabel = "V4[:V6]", defaultValue = "24:64",
            description = "How many leading address bits make one source for the per-source caps and penalties"
                    + " (OpenSSH's PerSourceNetBlockSize): one machine easily holds a whole /64. 32:128 counts single"
                    + " addresses. --limit-exempt and --udp-rate go by single addresses. Default: ${DEFAULT-VALUE}.")
    String sourcePrefix;

    @Option(names = "--limit-exempt", paramLabel = "CIDR",
            description = "Exempt an address or block (repeatable) from the per-source caps, the startup caps, penalties"
                    + " and the UDP rate limit: a load-test machine (OpenSSH's PerSourcePenaltyExemptList)."
                    + " --max-connections still applies.")
    List<String> limitExempt = new ArrayList<>();

    @Option(names = "--idle-timeout", paramLabel = "DURATION", defaultValue = "5m", converter = Converters.DurationValue.class,
            description = "Close a connection that sent nothing and has nothing left to receive for this long; 0: never."
                    + " TCP keepalive is on as well. Default: ${DEFAULT-VALUE}.")
    Duration idleTimeout;

    @Option(names = "--slow-client-timeout", paramLabel = "DURATION", defaultValue = "30s", converter = Converters.DurationValue.class,
            description = "Close a connection whose replies could not be sent for this long: its client does not read."
                    + " (Reading from it already stopped, so it holds at most 64 KiB plus one read.) 0: never. Default: ${DEFAULT-VALUE}.")
    Duration slowClientTimeout;

    @Option(names = "--drain-timeout", paramLabel = "DURATION", defaultValue = "10s", converter = Converters.DurationValue.class,
            description = "On Ctrl-C or SIGTERM, how long open connections get to receive their last replies and a clean"
                    + " end of stream before the rest are closed (a second Ctrl-C closes them at once); 0: close them at once. Default: ${DEFAULT-VALUE}.")
    Duration drainTimeout;

    @Option(names = "--max-datagram", paramLabel = "BYTES", defaultValue = "" + ServerConfig.DEFAULT_MAX_DATAGRAM,
            converter = Converters.PositiveCount.class,
            description = "The largest datagram answered (at most 65527, the IPv6 limit); a larger one is dropped and"
                    + " counted, never answered truncated. Default: ${DEFAULT-VALUE}, the IPv4 limit.")
    int maxDatagram;

    @Option(names = "--udp-rate", paramLabel = "N", defaultValue = "" + ServerConfig.DEFAULT_UDP_RATE,
            converter = Converters.NonNegativeCount.class,
            description = "Datagrams answered per second per source address; the rest are dropped and counted, so a"
                    + " spoofed flood cannot turn the server against one victim. 0: no limit. Default: ${DEFAULT-VALUE}.")
    int udpRate;

    @Option(names = "--udp-burst", paramLabel = "N", defaultValue = "" + ServerConfig.DEFAULT_UDP_BURST,
            converter = Converters.PositiveCount.class,
            description = "Datagrams a source may send at once before --udp-rate applies. Default: ${DEFAULT-VALUE}.")
    int udpBurst;

    @Option(names = "--fault", paramLabel = "SPEC",
            description = "Inject a fault, for testing clients (repeatable): e.g. latency=50ms,jitter=10ms, stall=1KiB,"
                    + " 'reset-after=64KiB;toxicity=0.1', loss=5%%. The syntax and every type: Faults below. With"
                    + " --metrics, GET/PUT/DELETE /faults change them live.")
    List<String> faults = new ArrayList<>();

    @Option(names = "--fault-seed", paramLabel = "N", converter = Converters.Seed.class,
            description = "The seed of every random choice the faults make (which connections meet them, jitter, slice"
                    + " sizes, losses), so that a run can be replayed: a whole number (0: a seed like any other)."
                    + " Default: drawn at start, and printed.")
    Long faultSeed;

    @Option(names = "--allow-insecure", negatable = false,
            description = "Allow listening on a non-loopback address with no secret configured (protected mode off)."
                    + " Without it, such a server refuses to start: anyone who can reach it could use it.")
    boolean allowInsecure;
    private ServerTls tls() {
        if (tlsKey != null && tlsCert == null) {
            throw new CliException(ExitCodes.USAGE, "--tls-key needs --tls-cert (or drop both for a self-signed certificate)");
        }
        if (tlsState != null && (tlsCert != null || !tls)) {
            throw new CliException(ExitCodes.USAGE, tlsCert != null
                    ? "--tls-state keeps a self-signed certificate; with --tls-cert there is none (drop one of them)"
                    : "--tls-state is where --tls keeps its self-signed certificate: add --tls");
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
        Path state = tlsState != null ? tlsState : SelfSignedStore.defaultDirectory(io.env(), System.getProperty("user.home"));
        try {
            return SelfSignedStore.load(state, names, addresses);
        } catch (TlsException e) {
            throw new CliException(ExitCodes.ERROR, e.getMessage());
        }
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
        PrometheusMetrics prometheus = metrics == null ? null : new PrometheusMetrics();
        ServerConfig config = configuration(prometheus);
        warnAboutLegacyMode(config.keys());
        JechoServer server = JechoServer.start(config);
        MetricsHttpServer metricsHttp;
        try {
            metricsHttp = prometheus == null ? null : MetricsHttpServer.start(metrics, prometheus, server);
        } catch (ListenerException e) {
            server.stopNow();
            throw e;
        }
        // Before announcing the listeners: whoever reads them may signal us at once.
        Signals.onTermination(() -> {
            LOG.info("stopping: no new connections; {} open connections get up to {} to receive their replies"
                            + " (Ctrl-C again to stop at once)",
                    server.stats().openConnections(), Converters.DurationValue.format(config.drainTimeout()));
            server.stop();
        }, () -> {
            LOG.info("stopping at once: closing every connection");
            server.stopNow();
        });
        Banner.lines(server, metricsHttp == null ? null : metrics.withPort(metricsHttp.address().getPort()))
                .forEach(io.out()::println);
        io.out().flush();
        server.terminationFuture().join();
        if (metricsHttp != null) {
            metricsHttp.close(); // after the drain: /health says 503 while the server stops
        }
        JechoServer.StopReport report = server.stopReport();
        LOG.info("stopped: {}", report == null ? "" : report.summary());
        return ExitCodes.OK;
    }

    /** The options as a configuration; a value the builder rejects is a usage error. */
    ServerConfig configuration() {
        return configuration(null);
    }

    /**
     * The same, reporting to {@code recorder} when metrics are on. Each option maps onto the builder, which checks
     * every value and how they fit together; only what is about the options themselves (one that needs another)
     * is checked here.
     */
    ServerConfig configuration(MetricsRecorder recorder) {
        if (!trustedProxies.isEmpty() && !proxyProtocol) {
            throw new CliException(ExitCodes.USAGE, "--trusted-proxy needs --proxy-protocol (see 'jecho server --help')");
        }
        if (proxyProtocol && trustedProxies.isEmpty()) {
            // Stricter than the library, which lets Unix-socket listeners alone ignore the flag: on the command
            // line, --proxy-protocol without a network to trust is always a mistake.
            throw new CliException(ExitCodes.USAGE, "--proxy-protocol needs --trusted-proxy CIDR: which load balancers"
                    + " may name clients? (e.g. --trusted-proxy 127.0.0.1 when HAProxy runs on this host)");
        }
        try {
            ServerConfig.Builder config = ServerConfig.builder()
                    .transport(transport)
                    .backlog(backlog)
                    .ioThreads(ioThreads)
                    .logConnections(!noConnectionLog)
                    .maxConnections(maxConnections)
                    .maxConnectionsPerIp(maxConnectionsPerIp)
                    .maxStartups(maxStartups)
                    .maxStartupsPerIp(maxStartupsPerIp)
                    .penalties(penalties)
                    .sourcePrefix(sourcePrefix)
                    .idleTimeout(idleTimeout)
                    .slowClientTimeout(slowClientTimeout)
                    .handshakeTimeout(authTimeout)
                    .drainTimeout(drainTimeout)
                    .maxDatagram(maxDatagram)
                    .udpRateLimit(udpRate, udpBurst)
                    .allowInsecure(allowInsecure)
                    .recorder(recorder == null ? MetricsRecorder.NONE : recorder)
                    .proxyProtocol(proxyProtocol)
                    .trustedProxies(trustedProxies)
                    .tcpNoDelay(!noTcpNoDelay)
                    .keepAlive(!noKeepAlive)
                    .socketBuffers(receiveBuffer, sendBuffer)
                    .json(json)
                    .maxLine(maxLine)
                    .maxPartialBytes(maxPartialBytes);
            if (service != null) {
                config.service(service); // unset, --legacy-auth implies echo (the article's server), else upper
            }
            limitExempt.forEach(config::limitExempt);
            faults.forEach(f -> config.fault(Fault.parse(f)));
            if (faultSeed != null) {
                config.faultSeed(faultSeed);
            }
            config.systemdSockets(); // socket activation: the sockets come first, and replace the default listeners
            tcp.forEach(config::listen);
            udp.forEach(config::listen);
            unix.forEach(config::listen);
            Keyring keys = secret.load(io, legacyAuth != null ? 1 : SharedKey.MIN_LENGTH);
            config.keys(keys).legacyAuth(legacyAuth).build(); // every value checked before --tls reads or makes its certificate
            return config.tls(tls()).build();
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage() + " (see 'jecho server --help')");
        }
    }
}
