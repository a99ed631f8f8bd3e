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
            description = "Do not log each connect and disconnect (they are rate-limited to 50 lines/s anyway).")
    boolean noConnectionLog;

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
                .logConnections(!noConnectionLog);
        tcp.forEach(config::listen);
        udp.forEach(config::listen);
        unix.forEach(config::listen);

        JechoServer server = JechoServer.start(config.build());
        // Before announcing the listeners: whoever reads them may signal us at once.
        Signals.onTermination(() -> {
            LOG.info("stopping: no new connections, closing the open ones");
            server.close();
        });
        io.out().printf("jecho %s server: service %s, transport %s%n",
                VersionProvider.jechoVersion(), service.cliName(), server.transport().cliName());
        for (Endpoint endpoint : server.boundEndpoints()) {
            io.out().println("listening on " + endpoint);
        }
        io.out().flush();
        server.terminationFuture().join();
        LOG.info("stopped");
        return ExitCodes.OK;
    }
}
