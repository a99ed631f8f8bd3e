package dev.jecho.cli;

import dev.jecho.server.JechoServer;
import dev.jecho.server.ListenerException;
import dev.jecho.server.ServerConfig;
import dev.jecho.service.Service;
import dev.jecho.transport.Endpoint;
import dev.jecho.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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
                "  jecho server --tcp 0.0.0.0:8888 --metrics 127.0.0.1:9100 --no-connection-log",
                "  jecho server --tcp 127.0.0.1:9001 --proxy-protocol    behind HAProxy (send-proxy-v2) on this host",
                "  jecho server --tcp 0.0.0.0:8888 --proxy-protocol --trusted-proxy 10.0.0.0/24",
                "",
                "Metrics (with --metrics HOST:PORT):",
                "  curl http://HOST:PORT/metrics        Prometheus text format: connections, messages, bytes,",
                "                                       handshakes, datagram drops, processing time, JVM and",
                "                                       Netty memory, kernel listen-queue overflows",
                "  curl http://HOST:PORT/health         200 ok while accepting, 503 once stopping",
                "  curl http://HOST:PORT/connections    open connections as JSON, with the kernel's TCP view",
                "                                       (state, RTT, retransmits, cwnd) on epoll and io_uring;",
                "                                       ?format=text for a table",
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

    @Option(names = "--service", paramLabel = "NAME", defaultValue = "upper", converter = Converters.ServiceName.class,
            description = "What a message gets back: upper (ASCII upper case, the article's) or echo (RFC 862). Default: ${DEFAULT-VALUE}.")
    Service service;

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
            description = "A network allowed to send PROXY headers (repeatable), e.g. 10.0.0.0/24 or 192.0.2.7."
                    + " Default: 127.0.0.0/8 and ::1/128.")
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

    ServerCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws ListenerException {
        logging.apply();
        ServerConfig.Builder config = ServerConfig.builder()
                .service(service)
                .transport(transport)
                .backlog(backlog)
                .ioThreads(ioThreads)
                .logConnections(!noConnectionLog)
                .metrics(metrics)
                .proxyProtocol(proxyProtocol)
                .tcpNoDelay(!noTcpNoDelay)
                .keepAlive(!noKeepAlive)
                .socketBuffers(receiveBuffer, sendBuffer);
        if (!trustedProxies.isEmpty()) {
            try {
                config.trustedProxies(trustedProxies);
            } catch (IllegalArgumentException e) {
                throw new CliException(ExitCodes.USAGE, e.getMessage() + " (see 'jecho server --help')");
            }
        }
        if (!trustedProxies.isEmpty() && !proxyProtocol) {
            throw new CliException(ExitCodes.USAGE, "--trusted-proxy needs --proxy-protocol (see 'jecho server --help')");
        }
        tcp.forEach(config::listen);
        udp.forEach(config::listen);
        unix.forEach(config::listen);

        JechoServer server = JechoServer.start(config.build());
        // Before announcing the listeners: whoever reads them may signal us at once.
        Signals.onTermination(() -> {
            LOG.info("stopping: no new connections, closing the open ones");
            server.close();
        });
        Banner.lines(server).forEach(io.out()::println);
        io.out().flush();
        server.terminationFuture().join();
        LOG.info("stopped");
        return ExitCodes.OK;
    }
}
