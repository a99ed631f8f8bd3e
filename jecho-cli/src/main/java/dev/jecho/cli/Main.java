package dev.jecho.cli;

import dev.jecho.BenchException;
import dev.jecho.ClientException;
import dev.jecho.ListenerException;
import dev.jecho.internal.transport.TransportUnavailableException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** {@code jecho}: the entry point. Each verb is one command class; this one only dispatches. */
@Command(name = "jecho",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "TCP, UDP and Unix-socket echo server, client and benchmark.",
        footer = ExitCodes.HELP_FOOTER)
public final class Main implements Runnable {

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        // Netty samples 1 buffer in 128 for leak reports, with a stack trace each. The test suite runs the
        // detector at PARANOID instead; a production process does not pay for it unless asked
        // (-Dio.netty.leakDetection.level=simple in JECHO_OPTS).
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            System.setProperty("io.netty.leakDetection.level", "disabled");
        }
        System.exit(execute(Io.system(), args));
    }

    static int execute(Io io, String... args) {
        return commandLine(io).execute(args);
    }

    static CommandLine commandLine(Io io) {
        CommandLine cl = new CommandLine(new Main());
        cl.addSubcommand("server", new CommandLine(new ServerCommand(io))); // so picocli applies its model transformer
        cl.addSubcommand("client", new ClientCommand(io));
        cl.addSubcommand("completion", new CompletionCommand());
        cl.addSubcommand("keygen", new KeygenCommand(io));
        cl.addSubcommand("bench", new CommandLine(new BenchCommand(io)).addSubcommand("merge", new BenchMergeCommand(io)));
        cl.addSubcommand("help", new CommandLine.HelpCommand());
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
            if (org.slf4j.LoggerFactory.getLogger(Main.class).isDebugEnabled()) {
                e.printStackTrace(new PrintWriter(cl.getErr(), true));
            }
        }
        cl.getErr().println("jecho: " + message);
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
