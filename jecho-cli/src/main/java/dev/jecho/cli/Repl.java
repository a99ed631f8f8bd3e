package dev.jecho.cli;

import dev.jecho.ClientException;
import dev.jecho.Endpoint;
import dev.jecho.JechoClient;
import dev.jecho.internal.client.Causes;
import org.jline.reader.EndOfFileException;
import org.jline.reader.History;
import org.jline.reader.LineReader;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.history.DefaultHistory;
import org.jline.terminal.Terminal;

import java.io.IOError;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The article's interactive client: prompt {@code >>> }, line editing and history, empty input skipped
 * (on UDP an empty datagram is a real message and is sent), {@code exit}, Ctrl-D or Ctrl-C quits with
 * "client close". When the server closes the connection while the REPL waits for its user (an idle
 * timeout, a server stopping), the REPL says so at once and fails with {@link ClientException.Reason#CLOSED}.
 */
public final class Repl {

    public static final String PROMPT = ">>> ";

    private final JechoClient client;
    private final Terminal terminal;
    private final LineReader reader;

    private final Object closeLock = new Object();
    /** The REPL's thread while it waits for the user in readLine, else null; guarded by closeLock. */
    private Thread waitingForUser;
    /** Whether and when the connection closed under the REPL; guarded by closeLock. */
    private boolean closed;
    private long closedAtNanos;
    /** When the last reply came (or the REPL started); the REPL's thread only. */
    private long lastReplyNanos;
    private boolean anyReply;

    /**
     * @param historyFile where line history is kept between sessions, or null for none; it is created
     *                    readable by its owner only, and an existing one with wider permissions is narrowed
     */
    public Repl(JechoClient client, Terminal terminal, Path historyFile) {
        this(client, terminal, newReader(terminal, historyFile));
    }

    /** A REPL on a console already made ({@link ReplConsole#prepare}). */
    Repl(JechoClient client, ReplConsole console) {
        this(client, console.terminal(), console.reader());
    }

    private Repl(JechoClient client, Terminal terminal, LineReader reader) {
        this.client = client;
        this.terminal = terminal;
        this.reader = reader;
    }

    /**
     * Runs until the user quits.
     *
     * @throws ClientException when the connection fails or the server closes it (a lost UDP datagram is
     *                         reported and the loop goes on)
     */
    public void run() throws ClientException {
        PrintWriter out = terminal.writer();
        boolean sendEmpty = client.endpoint().kind() == Endpoint.Kind.UDP;
        boolean json = client.config().json();
        lastReplyNanos = System.nanoTime();
        client.closed().thenRun(this::connectionClosed);
        try {
            while (true) {
                String line = readLine();
                if (line == null || line.equals("exit")) {
                    break;
                }
                if (line.isEmpty() && !sendEmpty
                        || json && PipeMode.isJsonBlank(line.getBytes(StandardCharsets.UTF_8))) {
                    continue; // nothing to send; a blank JSON line would get no answer, and the REPL would wait for one
                }
                try {
                    byte[] reply = JechoClient.await(client.sendText(line));
                    lastReplyNanos = System.nanoTime();
                    anyReply = true;
                    out.println(new String(reply, StandardCharsets.UTF_8));
                } catch (ClientException e) {
                    if (e.reason() != ClientException.Reason.LOST) {
                        throw e;
                    }
                    out.println("(" + e.getMessage() + ")");
                }
                out.flush();
            }
        } finally {
            out.println("client close");
            out.flush();
        }
    }

    /**
     * The next line, or null when the user quit.
     *
     * @throws ClientException when the connection closed before or while the REPL waited for the user
     */
    private String readLine() throws ClientException {
        boolean open;
        synchronized (closeLock) {
            open = !closed;
            waitingForUser = open ? Thread.currentThread() : null;
        }
        String line = null;
        try {
            if (open) {
                line = reader.readLine(PROMPT);
            }
        } catch (EndOfFileException | UserInterruptException quit) {
            // Ctrl-D or Ctrl-C; or connectionClosed() interrupted the wait, told apart below
        } catch (IOError e) {
            if (!closed()) {
                throw e; // a terminal that failed, not our interrupt
            }
        } finally {
            synchronized (closeLock) {
                waitingForUser = null;
            }
        }
        if (closed()) {
            Thread.interrupted(); // our own interrupt, if it came after JLine stopped reading
            long closedAt;
            synchronized (closeLock) {
                closedAt = closedAtNanos;
            }
            throw new ClientException(ClientException.Reason.CLOSED, "the server closed the connection, "
                    + duration(closedAt - lastReplyNanos) + (anyReply ? " after the last reply" : " after connecting")
                    + " (its idle timeout, or it is stopping)");
        }
        return line;
    }

    private boolean closed() {
        synchronized (closeLock) {
            return closed;
        }
    }

    /**
     * On the event loop, when the connection closed. While an exchange is in flight it fails by itself and
     * says why; while the REPL waits for its user nothing would tell them, so the wait is interrupted (as
     * JLine's own Ctrl-C does) and {@link #readLine} reports the close.
     */
    private void connectionClosed() {
        synchronized (closeLock) {
            closed = true;
            closedAtNanos = System.nanoTime();
            if (waitingForUser != null) {
                waitingForUser.interrupt();
            }
        }
    }

    /** The REPL's line reader on a terminal, with its history kept in {@code historyFile} (null: none). */
    static LineReader newReader(Terminal terminal, Path historyFile) {
        PasteSafeLineReader reader = new PasteSafeLineReader(terminal, "jecho");
        History history = new DefaultHistory();
        if (historyFile != null) {
            try {
                PrivateHistory.createPrivately(historyFile);
                history = new PrivateHistory(historyFile);
                reader.setVariable(LineReader.HISTORY_FILE, historyFile);
            } catch (IOException e) {
                terminal.writer().println("jecho: history is not kept: cannot use " + historyFile + ": " + Causes.describe(e));
            }
        }
        reader.setHistory(history);
        return reader;
    }

    private static String duration(long nanos) {
        long seconds = TimeUnit.NANOSECONDS.toSeconds(Math.max(0, nanos));
        if (seconds < 1) {
            return TimeUnit.NANOSECONDS.toMillis(Math.max(0, nanos)) + " ms";
        }
        if (seconds < 120) {
            return seconds + " s";
        }
        return String.format(Locale.ROOT, "%d min %d s", seconds / 60, seconds % 60);
    }
}
