package dev.jecho.cli;

import java.io.Console;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.function.Function;

/** The streams a command talks through, whether a person is at the other end, and the environment. */
record Io(InputStream in, PrintStream out, PrintStream err, boolean interactive, Function<String, String> env) {

    Io(InputStream in, PrintStream out, PrintStream err, boolean interactive) {
        this(in, out, err, interactive, System::getenv);
    }

    static Io system() {
        return new Io(System.in, System.out, System.err, stdinIsTerminal());
    }

    /**
     * True when standard input and output are a terminal. On JDK 22+ {@code System.console()} exists even
     * for pipes, so ask {@code Console.isTerminal()} where it exists.
     */
    private static boolean stdinIsTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException e) {
            return true; // JDK 17-21: a console exists only for a terminal
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }
}
