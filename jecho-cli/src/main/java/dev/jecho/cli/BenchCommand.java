package dev.jecho.cli;

import dev.jecho.Bench;
import dev.jecho.BenchConfig;
import dev.jecho.BenchException;
import dev.jecho.BenchReport;
import dev.jecho.ClientTls;
import dev.jecho.Endpoint;
import dev.jecho.Keyring;
import dev.jecho.Service;
import dev.jecho.Transport;
import dev.jecho.internal.keys.KeyFile;
import dev.jecho.internal.service.ServiceRegistry;
import io.netty.util.ResourceLeakDetector;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code jecho bench}: load, latency and throughput against jecho or any echo server. */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
                "Measures an echo server: request/response latency, throughput, connection rate, or how many"
                        + " connections it holds; or one-way throughput to a discard server and from a chargen server.",
                "Every reply is checked byte for byte. A live line each second goes to standard error; the summary"
                        + " table (or --json) to standard output. Latency percentiles come from HdrHistogram; in open"
                        + " loop (--rate) latency is measured from when each request was due, correcting for"
                        + " coordinated omission as wrk2 does, and the uncorrected figure is shown beside it. It speaks"
                        + " what jecho client speaks: TLS, the authenticated handshake, JSON Lines, tagged datagrams.",
        },
        footer = {
                "%nModes:",
                "  rr       send a message, wait for its reply, repeat (--pipeline N: N at once)",
                "  bulk     stream --size chunks, read the echo back: MB/s (TCP, Unix sockets)",
                "  connect  a new connection for every request: connect, one exchange, close",
                "  hold     open -c connections, keep them for -d, then check each still answers",
                "  upload   stream --size chunks to a discard server (RFC 863): MB/s taken",
                "  download read what a chargen server (RFC 864) sends: MB/s, each line checked",
                "%nErrors are counted by class: connect (an attempt failed), timeout (no reply within --timeout;"
                        + " on UDP a loss instead), mismatch (wrong bytes), closed (the server closed: a FIN), reset (the server reset: an RST). A stream"
                        + " connection with an error is closed and reopened. UDP datagrams of 8 bytes or more carry their"
                        + " sequence number (8 hex digits) when replies are checked, so duplicates, reordering and late"
                        + " replies are told apart from losses.",
                "%nSessions, with the options of jecho client: --tls (and --tls-ca, --pin-sha256 or --insecure) wraps"
                        + " each stream connection in TLS; a key (--secret-file or JECHO_SECRET, --key-id) runs jecho's"
                        + " handshake and protects every message in session records, or on UDP sends tagged datagrams;"
                        + " --legacy-auth speaks the article's handshake; --json-lines sends one JSON value of --size"
                        + " bytes a line. A connection is open once TLS and the handshake are done; a failure of either is"
                        + " a connect error, and if no connection gets through, its reason is the one line printed (exit"
                        + " code 5 for a rejected key or certificate). In connect mode each measured request includes"
                        + " them, as it would for a real client.",
                "%n--compare runs one workload per entry: tcp, unix, tls (TLS over TCP) or udp, with +auth, +json (and"
                        + " unix+tls), and =URL or the URL of its transport among those given (tls takes the TCP one)."
                        + " An entry uses exactly what it names.",
                "%nExamples:",
                "  jecho bench                             rr, 1 connection, 10s, 127.0.0.1:8888",
                "  jecho bench 127.0.0.1:8888 --check upper -c 100 -d 30s",
                "  jecho bench --rate 20000 -c 50 --html r.html    open loop at 20k req/s",
                "  jecho bench --mode bulk --size 65536            MB/s over one connection",
                "  jecho bench --mode connect -c 16                new connections per second",
                "  jecho bench --mode hold -c 10000 -d 30s         do 10000 idle ones survive?",
                "  jecho bench 127.0.0.1:9 --mode upload --size 65536    to a discard server",
                "  jecho bench 127.0.0.1:19 --mode download -c 4         from a chargen server",
                "  jecho bench udp://127.0.0.1:8888 -c 16 --size 64-1400",
                "  jecho bench 127.0.0.1:8443 --tls --pin-sha256 3A:91:...:5C \\",
                "      --secret-file k.key --json-lines --check upper",
                "  jecho bench --mode connect -c 16 --insecure --secret-file k.key   handshakes/s",
                "  jecho bench udp://127.0.0.1:8888 --secret-file k.key -c 16    tagged datagrams",
                "  jecho bench --compare tcp,unix,udp 127.0.0.1:8888 unix:/tmp/jecho.sock",
                "  jecho bench --compare tcp,tls=127.0.0.1:8443,unix,udp --insecure \\",
                "      127.0.0.1:8888 unix:/tmp/jecho.sock",
                "  jecho bench --secret-file k.key --compare \\",
                "      tcp=127.0.0.1:8888,tcp+json=127.0.0.1:8889,tcp+auth+json=127.0.0.1:8890",
                "  jecho bench -d 60s --hlog a.hlog        on each load machine, then:",
                "  jecho bench merge a.hlog b.hlog",
                ExitCodes.HELP_FOOTER,
        })
final class BenchCommand implements Callable<Integer> {

    private final Io io;

    @Mixin
    LoggingOptions logging;

    @Parameters(arity = "0..*", paramLabel = "URL",
            description = "[tcp://]HOST:PORT, udp://HOST:PORT or unix:PATH. Default: tcp://127.0.0.1:8888."
                    + " With --compare, one URL per transport (a plain HOST:PORT serves tcp, tls and udp).")
    List<String> urls = new ArrayList<>();

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "rr", converter = ModeName.class,
            description = "rr, bulk, connect, hold, upload or download. Default: ${DEFAULT-VALUE}.")
    BenchConfig.Mode mode;

    @Option(names = {"-c", "--connections"}, paramLabel = "N", defaultValue = "" + BenchConfig.DEFAULT_CONNECTIONS,
            converter = Converters.PositiveCount.class,
            description = "Connections (UDP: flows, each its own socket). Default: ${DEFAULT-VALUE}.")
    int connections;

    @Option(names = {"-d", "--duration"}, paramLabel = "DURATION", defaultValue = "10s", converter = Converters.PositiveDuration.class,
            description = "How long to measure (hold: how long to hold). Default: ${DEFAULT-VALUE}.")
    Duration duration;

    @Option(names = {"-w", "--warmup"}, paramLabel = "DURATION", defaultValue = "1s", converter = Converters.DurationValue.class,
            description = "Load before measuring, not counted (JIT, caches, TCP windows); 0: none. Default: ${DEFAULT-VALUE}.")
    Duration warmup;

    @Option(names = {"-s", "--size"}, paramLabel = "BYTES|MIN-MAX", defaultValue = "" + BenchConfig.DEFAULT_SIZE,
            converter = Converters.SizeRangeValue.class,
            description = "Bytes per request (bulk: per chunk), or a range each request draws from uniformly. Default: ${DEFAULT-VALUE}.")
    Converters.SizeRange size;

    @Option(names = "--pipeline", paramLabel = "N", defaultValue = "1", converter = Converters.PositiveCount.class,
            description = "rr: requests in flight per connection. Default: ${DEFAULT-VALUE}.")
    int pipeline;

    @Option(names = "--rate", paramLabel = "REQ/S", defaultValue = "0", converter = Converters.Rate.class,
            description = "Open loop: this many requests per second over all connections, whether or not the server"
                    + " keeps up; latency is measured from when each was due. 0: closed loop. Default: ${DEFAULT-VALUE}.")
    double rate;

    @Option(names = "--check", paramLabel = "KIND", defaultValue = "auto", converter = CheckName.class,
            completionCandidates = CheckNames.class,
            description = "How replies are verified, one of ${COMPLETION-CANDIDATES}: a service's name (replies must be"
                    + " what it gives: see 'jecho server --help'; with JSON messages, the value with the service applied"
                    + " to its string values; upload: nothing back; download: its output), auto (the first registered"
                    + " service that fits the mode and whose reply the run's first reply is; the summary says which)"
                    + " or none (length only; JSON: any line; upload: what comes back is dropped). Default: ${DEFAULT-VALUE}.")
    Check check;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = Converters.PositiveDuration.class,
            description = "How long a reply may take: a timeout error on TCP and Unix sockets (default 2s), a loss on UDP (default 200ms).")
    Duration timeout;

    @Option(names = "--connect-timeout", paramLabel = "DURATION", defaultValue = "5s", converter = Converters.PositiveDuration.class,
            description = "How long one connection attempt may take, and as long again for its TLS and handshake;"
                    + " also bounds the setup before measuring starts. Default: ${DEFAULT-VALUE}.")
    Duration connectTimeout;

    @Option(names = "--max-connecting", paramLabel = "N", defaultValue = "" + BenchConfig.DEFAULT_MAX_CONNECTING,
            converter = Converters.PositiveCount.class,
            description = "Connection attempts in flight at once, so the server's accept queue does not overflow. Default: ${DEFAULT-VALUE}.")
    int maxConnecting;

    @Option(names = "--compare", paramLabel = "ENTRY,...", split = ",",
            description = {"Run the same workload over each entry in turn and print one table. An entry is tcp, unix,"
                    + " tls (TLS over TCP) or udp, with any of +auth (the handshake and session records; UDP: tagged"
                    + " datagrams), +json (JSON Lines) and, for Unix sockets, +tls; then =URL, or it takes the URL of its"
                    + " transport from those given (tls: the TCP one). An entry uses exactly what it names: with"
                    + " --compare tcp,tcp+auth the first row is raw TCP although a key is given.",
                    "Say: tcp,unix,tls,udp or tcp=HOST:PORT,tcp+json=HOST:PORT2,tls+auth+json=HOST:PORT3."})
    List<String> compare;

    @Mixin
    ClientKeyOptions auth;

    @Mixin
    ClientTlsOptions tlsOptions;

    @Option(names = "--json-lines",
            description = "Send JSON messages (a jecho server with --json): each request one JSON value of --size bytes"
                    + " on its own line, whose compact form is what is sent; --check compares each reply with the"
                    + " value, its string values as the service gives them back. The bench's own --json is its output.")
    boolean jsonLines;

    @Option(names = "--json", description = "Print one JSON document (units in field names) instead of the table.")
    boolean json;

    @Option(names = "--html", paramLabel = "FILE",
            description = "Also write a self-contained HTML report: percentile curves, throughput over time.")
    Path html;

    @Option(names = "--hlog", paramLabel = "FILE",
            description = "Also write an HdrHistogram interval log (one histogram a second); see 'jecho bench merge'.")
    Path hlog;

    @Option(names = "--transport", paramLabel = "NAME", defaultValue = "auto", converter = Converters.TransportName.class,
            description = "I/O transport: auto, epoll, io_uring or nio. auto takes io_uring where it loads, except"
                    + " for --mode connect and hold and for Unix sockets; else epoll, else nio. Default: ${DEFAULT-VALUE}.")
    Transport transport;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0", converter = Converters.NonNegativeCount.class,
            description = "Event loop threads of the load generator; 0: one per two CPUs (connect mode: one per CPU),"
                    + " at most one per connection. Default: ${DEFAULT-VALUE}.")
    int threads;

    BenchCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws BenchException, IOException {
        logging.apply();
        quietLeakDetection();
        List<BenchConfig> configs = configs();
        Bench bench = new Bench();
        PrintStream err = io.err();
        BenchReport report;
        SignalHandler previous = onInterrupt(bench);
        try {
            report = bench.run(configs, logging.verbosity() < 0 ? null : line -> {
                err.println(line);
                err.flush();
            }, hlog);
        } finally {
            restoreInterrupt(previous);
        }
        return BenchOutput.print(report, io, json, html);
    }

    private List<BenchConfig> configs() {
        List<BenchConfig> configs = new ArrayList<>();
        Keyring keys = auth.keys(io);
        try {
            if (compare == null || compare.isEmpty()) {
                if (urls.size() > 1) {
                    throw new IllegalArgumentException("one URL at a time; for several transports use"
                            + " --compare tcp,unix,udp with one URL for each");
                }
                Endpoint endpoint = urls.isEmpty() ? Endpoint.parse("tcp://127.0.0.1:8888") : Endpoint.parse(urls.get(0));
                ClientTls tls = tlsOptions.build(io, false);
                configs.add(config(endpoint, null).tls(tls).keys(keys).legacyAuth(auth.legacyAuth).json(jsonLines).build());
            } else {
                configs.addAll(compared(keys));
            }
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage() + " (see 'jecho bench --help')");
        }
        return configs;
    }

    /** One configuration per --compare entry, each with exactly the session it names. */
    private List<BenchConfig> compared(Keyring keys) {
        if (tlsOptions.tls || jsonLines || auth.legacyAuth != null) {
            throw new IllegalArgumentException("with --compare, each entry names its own session (tls, +auth, +json):"
                    + " --tls, --json-lines and --legacy-auth are for a single run");
        }
        List<CompareEntry> entries = new ArrayList<>();
        for (String text : new LinkedHashSet<>(compare)) {
            entries.add(CompareEntry.parse(text));
        }
        boolean anyAuth = entries.stream().anyMatch(CompareEntry::auth);
        boolean anyTls = entries.stream().anyMatch(CompareEntry::tls);
        if (anyAuth && keys == null) {
            throw new IllegalArgumentException("+auth needs a key: --secret-file PATH (or the " + KeyFile.ENVIRONMENT_VARIABLE + " variable)");
        }
        if (!anyAuth && auth.given()) {
            throw new IllegalArgumentException("--secret-file and --key-id serve the +auth entries of --compare, and it has none");
        }
        if (!anyTls && tlsOptions.trustGiven()) {
            throw new IllegalArgumentException("--tls-ca, --pin-sha256 and --insecure serve the tls entries of --compare, and it has none");
        }
        ClientTls tls = anyTls ? tlsOptions.build(io, true) : null;
        List<String> given = urls.isEmpty() ? List.of("127.0.0.1:8888") : urls;
        List<BenchConfig> configs = new ArrayList<>();
        Set<String> labels = new LinkedHashSet<>();
        for (CompareEntry entry : entries) {
            BenchConfig config = config(entry.endpoint(given), null)
                    .tls(entry.tls() ? tls : null).keys(entry.auth() ? keys : null).json(entry.json()).build();
            if (!labels.add(config.label())) {
                throw new IllegalArgumentException("--compare has " + config.label() + " twice (each entry is one row)");
            }
            configs.add(config);
        }
        return configs;
    }

    private BenchConfig.Builder config(Endpoint endpoint, String label) {
        BenchConfig.Builder b = BenchConfig.builder(endpoint)
                .mode(mode)
                .check(check.service())
                .checkReplies(check.replies())
                .connections(connections)
                .duration(duration)
                .warmup(warmup)
                .pipeline(pipeline)
                .rate(rate)
                .connectTimeout(connectTimeout)
                .maxConnecting(maxConnecting)
                .transport(transport)
                .threads(threads);
        b.size(size.min(), size.max());
        if (timeout != null) {
            b.timeout(timeout);
        }
        if (label != null) {
            b.label(label);
        }
        return b;
    }

    /**
     * A load generator should not pay for Netty's sampling leak detector (a stack trace every 128 buffers):
     * off, unless it was asked for explicitly (the tests run it at PARANOID).
     */
    private static void quietLeakDetection() {
        if (System.getProperty("io.netty.leakDetection.level") == null && System.getProperty("io.netty.leakDetectionLevel") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }

    /** Ctrl-C ends the run early and still prints what was measured; a second Ctrl-C is not needed. */
    private static SignalHandler onInterrupt(Bench bench) {
        try {
            return Signal.handle(new Signal("INT"), signal -> bench.cancel());
        } catch (IllegalArgumentException unsupported) {
            return null;
        }
    }

    private static void restoreInterrupt(SignalHandler previous) {
        if (previous != null) {
            try {
                Signal.handle(new Signal("INT"), previous);
            } catch (IllegalArgumentException ignored) {
                // not on this platform
            }
        }
    }

    static final class ModeName implements CommandLine.ITypeConverter<BenchConfig.Mode> {
        @Override
        public BenchConfig.Mode convert(String value) {
            return BenchConfig.Mode.parse(value);
        }
    }

    /** {@code --check}: a service (null: auto), or no check at all. */
    record Check(Service service, boolean replies) {
    }

    static final class CheckName implements CommandLine.ITypeConverter<Check> {
        @Override
        public Check convert(String value) {
            String v = value.trim();
            if (v.equalsIgnoreCase("auto")) {
                return new Check(null, true);
            }
            if (v.equalsIgnoreCase("none")) {
                return new Check(null, false);
            }
            try {
                return new Check(Service.named(v), true);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown check '" + value + "': use auto, none or a service ("
                        + ServiceRegistry.names(Service.registered()) + ")");
            }
        }
    }

    static final class CheckNames extends Converters.ServiceNames {
        @Override
        List<String> extra() {
            return List.of("auto", "none");
        }
    }
}
