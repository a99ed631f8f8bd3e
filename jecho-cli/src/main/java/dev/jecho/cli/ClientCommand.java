package dev.jecho.cli;

import dev.jecho.ClientConfig;
import dev.jecho.ClientException;
import dev.jecho.Endpoint;
import dev.jecho.JechoClient;
import dev.jecho.Keyring;
import dev.jecho.Service;
import dev.jecho.Transport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/** {@code jecho client}: the article's REPL on a terminal, line-by-line pipe mode otherwise. */
@Command(name = "client",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
                "Talks to an echo server. On a terminal: a prompt (>>>), where exit or Ctrl-D quits.",
                "With a pipe or file on standard input, or with -m: each line is sent and its reply printed on"
                        + " its own line; the exit code says whether every reply came.",
                "A reply that is not what the server's service gives for the message (--expect; by default any"
                        + " registered service that answers, such as upper or echo) is never printed: a server that speaks"
                        + " something else is named, with the option it needs (--secret-file, --tls, --json, --legacy-auth).",
        },
        footer = {
                "%nExamples:",
                "  jecho client                            REPL against tcp://127.0.0.1:8888",
                "  printf 'hello\\nworld\\n' | jecho client 127.0.0.1:8888",
                "  jecho client udp://[::1]:8888 -m ping --timeout 200ms --retries 5",
                "  jecho client unix:/tmp/jecho.sock -m hello",
                "  jecho client --expect echo -m hello     the reply must be the bytes back",
                "  jecho client --bind 127.0.0.2 -m hello  as another source, on loopback",
                "  jecho client --json --secret-file k.key -m '{\"a\":1}' -m hello",
                "  jecho client --json --secret-file k.key --pin-sha256 AB:CD:...:EF",
                "  jecho client --legacy-auth md5 --secret-file salt.key    the article's wire",
                ExitCodes.HELP_FOOTER,
        })
final class ClientCommand implements Callable<Integer> {

    private final Io io;

    @Mixin
    LoggingOptions logging;

    // The defaults of the options that have one: picocli's (for their help too) and withDefaults()'s.
    static final String DEFAULT_URL = "tcp://127.0.0.1:8888";
    static final String DEFAULT_CONNECT_TIMEOUT = "5s";
    static final String DEFAULT_TRANSPORT = "auto";
    static final String DEFAULT_SOCKET_BUFFER = "0";
    static final String DEFAULT_EXPECT = "auto";
    static final String DEFAULT_AUTH_TIMEOUT = "10s";

    @Parameters(index = "0", arity = "0..1", paramLabel = "URL", defaultValue = DEFAULT_URL,
            converter = Converters.Url.class,
            description = "[tcp://]HOST:PORT, udp://HOST:PORT or unix:PATH. Default: ${DEFAULT-VALUE}.")
    Endpoint endpoint;

    @Option(names = {"-m", "--message"}, paramLabel = "TEXT",
            description = "Send TEXT and print the reply (repeatable); standard input is not read.")
    List<String> messages;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = Converters.PositiveDuration.class,
            description = "How long to wait for a reply: per attempt on UDP (default 1s), in all on TCP and Unix sockets (default 10s).")
    Duration timeout;

    @Option(names = "--retries", paramLabel = "N", defaultValue = "" + ClientConfig.DEFAULT_RETRIES, converter = Converters.NonNegativeCount.class,
            description = "UDP: send a datagram again this many times before reporting it lost; 0: send it once. Default: ${DEFAULT-VALUE}.")
    int retries;

    @Option(names = "--connect-timeout", paramLabel = "DURATION", defaultValue = DEFAULT_CONNECT_TIMEOUT, converter = Converters.PositiveDuration.class,
            description = "How long to wait for a TCP or Unix-socket connection. Default: ${DEFAULT-VALUE}.")
    Duration connectTimeout;

    @Option(names = "--transport", paramLabel = "NAME", defaultValue = DEFAULT_TRANSPORT, converter = Converters.TransportName.class,
            description = "I/O transport: auto, epoll, io_uring or nio. Default: ${DEFAULT-VALUE}.")
    Transport transport;

    @Option(names = "--no-tcp-nodelay", negatable = false,
            description = "Leave Nagle's algorithm on (TCP_NODELAY is on by default).")
    boolean noTcpNoDelay;

    @Option(names = "--keepalive", negatable = false, description = "Set SO_KEEPALIVE on the TCP connection.")
    boolean keepAlive;

    @Option(names = "--recv-buffer", paramLabel = "SIZE", converter = Converters.ByteSize.class, defaultValue = DEFAULT_SOCKET_BUFFER,
            description = "SO_RCVBUF, e.g. 256k. Default: the kernel's.")
    int receiveBuffer;

    @Option(names = "--send-buffer", paramLabel = "SIZE", converter = Converters.ByteSize.class, defaultValue = DEFAULT_SOCKET_BUFFER,
            description = "SO_SNDBUF, e.g. 256k. Default: the kernel's.")
    int sendBuffer;

    @Option(names = "--bind", paramLabel = "ADDR", converter = Converters.LocalAddress.class,
            description = "Send from this local address (TCP and UDP), as nc -s does: the source the server sees.")
    InetAddress bind;

    @Option(names = "--no-history", negatable = false, description = "REPL: do not read or write ~/.jecho_history.")
    boolean noHistory;

    @Mixin
    ClientKeyOptions auth;

    @Option(names = "--json",
            description = "JSON Lines: each line typed goes as a JSON string, unless it parses as JSON ({\"a\":1} goes as an object).")
    boolean json;

    @Option(names = "--expect", paramLabel = "SERVICE", defaultValue = DEFAULT_EXPECT, converter = ExpectedService.class,
            completionCandidates = ExpectedNames.class,
            description = "The service the server runs, which says what a reply is: ${COMPLETION-CANDIDATES} (see"
                    + " 'jecho server --help'). auto takes any registered service that answers (on TCP and Unix sockets"
                    + " a byte service, such as upper or echo), the first whose reply matches; a line service named here"
                    + " gets each message as a line. Default: ${DEFAULT-VALUE}.")
    Service expect;

    @Option(names = "--auth-timeout", paramLabel = "DURATION", defaultValue = DEFAULT_AUTH_TIMEOUT, converter = Converters.PositiveDuration.class,
            description = "How long the TLS and authentication handshakes may take. Default: ${DEFAULT-VALUE}.")
    Duration authTimeout;

    @Mixin
    ClientTlsOptions tls;

    ClientCommand(Io io) {
        this.io = io;
    }

    /**
     * The client of a command line that needs no parser, {@code client [URL] [-m TEXT]...} (the common
     * one-shot message, the REPL, pipe mode), with every other option at its default; or null for any
     * other command line, which picocli parses. picocli builds its model by reflection over annotations,
     * which is most of such a command's start-up (issue 11). Anything that is not plainly a URL or a
     * message (an option, a value that starts with {@code -}, an {@code @file}, a second URL, a URL that
     * does not parse) is left to picocli, with its usual errors.
     */
    static ClientCommand plain(Io io, String... args) {
        if (args.length == 0 || !args[0].equals("client")) {
            return null;
        }
        ClientCommand client = new ClientCommand(io).withDefaults();
        boolean url = false;
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if ((arg.equals("-m") || arg.equals("--message")) && i + 1 < args.length && isPlainValue(args[i + 1])) {
                if (client.messages == null) {
                    client.messages = new ArrayList<>();
                }
                client.messages.add(args[++i]);
            } else if (!url && isPlainValue(arg)) {
                try {
                    client.endpoint = new Converters.Url().convert(arg);
                } catch (RuntimeException e) {
                    return null;
                }
                url = true;
            } else {
                return null;
            }
        }
        return client;
    }

    private static boolean isPlainValue(String arg) {
        return !arg.startsWith("-") && !arg.startsWith("@");
    }

    /** Every option at the default picocli gives it (ClientCommandTest holds the two to each other). */
    private ClientCommand withDefaults() {
        logging = new LoggingOptions();
        endpoint = new Converters.Url().convert(DEFAULT_URL);
        retries = ClientConfig.DEFAULT_RETRIES;
        connectTimeout = new Converters.PositiveDuration().convert(DEFAULT_CONNECT_TIMEOUT);
        transport = new Converters.TransportName().convert(DEFAULT_TRANSPORT);
        receiveBuffer = new Converters.ByteSize().convert(DEFAULT_SOCKET_BUFFER);
        sendBuffer = receiveBuffer;
        auth = new ClientKeyOptions();
        auth.secret = new SecretOptions();
        expect = new ExpectedService().convert(DEFAULT_EXPECT);
        authTimeout = new Converters.PositiveDuration().convert(DEFAULT_AUTH_TIMEOUT);
        tls = new ClientTlsOptions();
        return this;
    }

    @Override
    public Integer call() throws ClientException, IOException {
        logging.apply();
        Keyring keys = auth.keys(io);
        if (tls.requested() && endpoint.kind() == Endpoint.Kind.UDP) {
            throw new CliException(ExitCodes.USAGE, "TLS is for TCP and Unix sockets, not UDP");
        }
        ClientConfig.Builder config;
        try {
            // Inside the try: a value the builder rejects is the user's to fix, never an internal error.
            config = ClientConfig.builder(endpoint)
                    .transport(transport)
                    .retries(retries)
                    .connectTimeout(connectTimeout)
                    .tcpNoDelay(!noTcpNoDelay)
                    .keepAlive(keepAlive)
                    .socketBuffers(receiveBuffer, sendBuffer);
            if (timeout != null) {
                config.timeout(timeout);
            }
            config.keys(keys).legacyAuth(auth.legacyAuth).json(json).handshakeTimeout(authTimeout).tls(tls.build(io, false))
                    .localAddress(bind).expect(expect).build();
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage() + " (see 'jecho client --help')");
        }
        // The REPL's terminal and line editor do not need the connection: made while it is set up.
        CompletableFuture<ReplConsole> console = null;
        if (messages == null && io.interactive()) {
            console = ReplConsole.takeEarly();
            if (console == null) {
                console = ReplConsole.prepare(noHistory ? null : Main.historyFile());
            }
        }
        JechoClient connected;
        try {
            connected = config.connect();
        } catch (ClientException | RuntimeException e) {
            if (console != null) {
                ReplConsole.discard(console);
            }
            throw e;
        }
        try (JechoClient client = connected) {
            if (console != null) {
                try (ReplConsole repl = ReplConsole.await(console)) {
                    new Repl(client, repl).run();
                }
                return ExitCodes.OK;
            }
            PrintWriter err = new PrintWriter(io.err(), true, StandardCharsets.UTF_8);
            PipeMode pipe = new PipeMode(client, new BufferedOutputStream(io.out(), 64 * 1024), err);
            int lost = messages != null ? pipe.run(messages.iterator()) : pipe.run(io.in());
            return lost == 0 ? ExitCodes.OK : ExitCodes.TIMEOUT;
        }
    }

    /** {@code auto} (null: any registered service that answers), or a service's name. */
    static final class ExpectedService implements CommandLine.ITypeConverter<Service> {
        @Override
        public Service convert(String value) {
            return value.trim().equalsIgnoreCase("auto") ? null : Service.named(value);
        }
    }

    static final class ExpectedNames extends Converters.ServiceNames {
        @Override
        List<String> extra() {
            return List.of("auto");
        }
    }
}
