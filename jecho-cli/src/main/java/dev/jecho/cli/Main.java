package dev.jecho.cli;

import dev.jecho.BenchException;
import dev.jecho.ClientException;
import dev.jecho.ListenerException;
import dev.jecho.internal.transport.NettyTransport;
import dev.jecho.internal.transport.TransportUnavailableException;
import io.netty.util.internal.logging.InternalLoggerFactory;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/** {@code jecho}: the entry point. Each verb is one command class; this one only dispatches. */
@Command(name = "jecho",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "TCP, UDP and Unix-socket echo server, client and benchmark.",
        footer = ExitCodes.HELP_FOOTER)
public final class Main implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = "--verbose", description = "With --version: also which native transports (epoll, io_uring) load here.")
    boolean verbose;

    /**
     * The verbs, in the order {@code --help} lists them, each made on demand: picocli builds a command's
     * model by reflection over its annotations, which is most of a short command's start-up, so a command
     * line builds only the verb it runs (see {@link #verbsFor}).
     */
    private static final Map<String, Function<Io, Object>> VERBS = new LinkedHashMap<>();

    static {
        // lambdas, not constructor references: linking a reference loads its class, and a verb not run is never loaded
        VERBS.put("server", io -> new CommandLine(new ServerCommand(io))); // so picocli applies its model transformer
        VERBS.put("client", io -> new ClientCommand(io));
        VERBS.put("completion", io -> new CompletionCommand());
        VERBS.put("keygen", io -> new KeygenCommand(io));
        VERBS.put("bench", io -> new CommandLine(new BenchCommand(io)).addSubcommand("merge", new BenchMergeCommand(io)));
        VERBS.put("help", io -> new CommandLine.HelpCommand());
    }

    /** Top-level options that ask only for the version, which needs no verb. */
    private static final Set<String> VERSION_ONLY = Set.of("-V", "--version", "--verbose");

    public static void main(String[] args) {
        System.exit(run(Io.system(), args));
    }

    /**
     * A command line as the {@code jecho} command runs it: JVM-wide settings first, what can start early
     * started, then the command. Training runs its command lines through here too, so that the start-up
     * archives hold what a real start loads (its JFR and leak-detector settings, its threads).
     */
    static int run(Io io, String... args) {
        // Netty samples 1 buffer in 128 for leak reports, with a stack trace each. The test suite runs the
        // detector at PARANOID instead; a production process does not pay for it unless asked
        // (-Dio.netty.leakDetection.level=simple in JECHO_OPTS).
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            System.setProperty("io.netty.leakDetection.level", "disabled");
        }
        // Netty 4.2 registers JFR events for its buffer pools: a hundred classes loaded at start, which no
        // start-up archive keeps (JFR's event classes are left out of them), 60 ms of a server's start
        // (docs/benchmarks.md, start-up, fifth round). A profile of the pools asks for them:
        // JECHO_OPTS=-Dio.netty.jfr.enabled=true. JFR's own events need nothing.
        if (System.getProperty("io.netty.jfr.enabled") == null) {
            System.setProperty("io.netty.jfr.enabled", "false");
        }
        boolean repl = startsARepl(io, args);
        if (repl) {
            ReplConsole.prepareEarly(List.of(args).contains("--no-history") ? null : historyFile());
        }
        if (opensSockets(args)) {
            if (args[0].equals("client")) {
                // (opensSockets rules out -v and --log-format: Netty logs warnings and errors only)
                InternalLoggerFactory.setDefaultFactory(new NettyWarningsOnly());
                NettyTransport.preloadForClient();
                // SLF4J finds and configures logback on first use, 10-15 ms that a client otherwise spends between
                // making its connection and writing to it (its first logger is made there): here instead, while
                // Netty starts on the preload thread. Not on a thread of its own: a logger asked for while SLF4J
                // initializes is a stand-in whose calls SLF4J replays afterwards, with a warning on stderr.
                LoggerFactory.getILoggerFactory();
            } else {
                NettyTransport.preloadForPooledBuffers();
            }
        }
        int code = execute(io, args);
        if (repl) { // (else ReplConsole is not even loaded)
            ReplConsole.discardEarly();
        }
        return code;
    }

    /** The REPL's line history: {@code ~/.jecho_history}. */
    static Path historyFile() {
        return Path.of(System.getProperty("user.home"), ".jecho_history");
    }

    /** Options that ask a verb for its help or its version instead of running it. */
    private static final Set<String> HELP_OR_VERSION = Set.of("--help", "-h", "--version", "-V");

    /**
     * Whether a command line runs the REPL: {@code client} on a terminal with no message to send and no
     * help or version asked for. Its terminal and line editor can then be made while the rest starts.
     */
    static boolean startsARepl(Io io, String... args) {
        return io.interactive() && runs(Set.of("client"), arg -> arg.startsWith("-m") || arg.startsWith("--message"), args);
    }

    /**
     * Whether a command line will open sockets, so that Netty's start-up can overlap picocli's parsing: a
     * client, server or benchmark. Not with a verbosity option: Netty's own start-up logging must then
     * come after the command has set the log level.
     */
    static boolean opensSockets(String... args) {
        return runs(Set.of("client", "server", "bench"),
                arg -> arg.startsWith("-v") || arg.startsWith("--verbose") || arg.startsWith("--log"), args);
    }

    /** Whether a command line runs one of {@code verbs}, with no argument {@code ruledOut} and no help or version asked. */
    private static boolean runs(Set<String> verbs, Predicate<String> ruledOut, String... args) {
        if (args.length == 0 || !verbs.contains(args[0])) {
            return false;
        }
        for (String arg : args) {
            if (HELP_OR_VERSION.contains(arg) || ruledOut.test(arg)) {
                return false;
            }
        }
        return true;
    }

    static int execute(Io io, String... args) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            // The most common short command, answered before picocli builds a model: that is most of its time.
            PrintWriter out = new PrintWriter(io.out(), false, StandardCharsets.UTF_8);
            Versions.lines(false).forEach(out::println);
            out.flush();
            return ExitCodes.OK;
        }
        ClientCommand client = ClientCommand.plain(io, args);
        if (client != null) {
            // The common client command lines, run without picocli's model (ClientCommand#plain)
            try {
                return client.call();
            } catch (Exception e) {
                return failure(e, new PrintWriter(io.err(), true, StandardCharsets.UTF_8));
            }
        }
        return commandLine(io, verbsFor(args)).execute(args);
    }

    /** The whole command line, every verb in it. */
    static CommandLine commandLine(Io io) {
        return commandLine(io, VERBS.keySet());
    }

    /**
     * The verbs a command line needs: none for {@code jecho --version}; the one it names when it starts with
     * a verb ({@code jecho client -m hi}), unless that is {@code help} or {@code completion}, which describe
     * them all; else all of them (so that a mistyped verb is picocli's usual error, against the whole list).
     */
    static Set<String> verbsFor(String... args) {
        if (args.length > 0 && VERSION_ONLY.containsAll(List.of(args))) {
            return Set.of();
        }
        if (args.length > 0 && VERBS.containsKey(args[0]) && !args[0].equals("help") && !args[0].equals("completion")) {
            return Set.of(args[0]);
        }
        return VERBS.keySet();
    }

    private static CommandLine commandLine(Io io, Set<String> verbs) {
        CommandLine cl = new CommandLine(new Main());
        VERBS.forEach((name, verb) -> {
            if (verbs.contains(name)) {
                cl.addSubcommand(name, verb.apply(io));
            }
        });
        cl.setOut(new PrintWriter(io.out(), true, StandardCharsets.UTF_8));
        cl.setErr(new PrintWriter(io.err(), true, StandardCharsets.UTF_8));
        cl.setParameterExceptionHandler(Main::usageError);
        cl.setExecutionExceptionHandler(Main::failure);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        HelpLayout.apply(cl);
        return cl;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: server, client, bench, keygen, completion or help");
    }

    /** A command-line mistake: one line saying what is wrong and where to look. */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        String message = e.getMessage();
        if (e.getCause() instanceof Converters.BadValue bad) {
            message = nameOf(e.getArgSpec()) + " " + bad.getMessage();
        } else if (e.getCause() instanceof IllegalArgumentException iae && iae.getMessage() != null) {
            message = iae.getMessage();
        }
        cl.getErr().println("jecho: " + message + " (see '" + cl.getCommandSpec().qualifiedName() + " --help')");
        return ExitCodes.USAGE;
    }

    /** How the user names an option or parameter: {@code --retries}, {@code URL}. */
    private static String nameOf(CommandLine.Model.ArgSpec arg) {
        if (arg instanceof CommandLine.Model.OptionSpec option) {
            return option.longestName();
        }
        return arg == null ? "a value" : arg.paramLabel();
    }

    /** A failure while running: one line, and the exit code for its class. */
    private static int failure(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        return failure(e, cl.getErr());
    }

    private static int failure(Exception e, PrintWriter err) {
        int code;
        String message;
        if (e instanceof CliException ce) {
            code = ce.exitCode();
            message = ce.getMessage();
        } else if (e instanceof ClientException ce) {
            code = exitCodeOf(ce.reason());
            message = ce.getMessage();
        } else if (e instanceof BenchException be) {
            code = switch (be.reason()) {
                case UNREACHABLE -> ExitCodes.UNREACHABLE;
                case AUTH -> ExitCodes.AUTH;
                case IO -> ExitCodes.ERROR;
            };
            message = be.getMessage();
        } else if (e instanceof ListenerException || e instanceof TransportUnavailableException) {
            code = ExitCodes.ERROR;
            message = e.getMessage();
        } else {
            code = ExitCodes.ERROR;
            message = "internal error: " + e + " (run with -v for the stack trace, and please report it)";
            if (LoggerFactory.getLogger(Main.class).isDebugEnabled()) {
                e.printStackTrace(err);
            }
        }
        err.println("jecho: " + message);
        return code;
    }

    static int exitCodeOf(ClientException.Reason reason) {
        return switch (reason) {
            case UNREACHABLE, CLOSED -> ExitCodes.UNREACHABLE;
            case TIMEOUT, LOST -> ExitCodes.TIMEOUT;
            case INVALID -> ExitCodes.USAGE;
            case AUTH -> ExitCodes.AUTH;
            case IO -> ExitCodes.ERROR;
        };
    }
}
