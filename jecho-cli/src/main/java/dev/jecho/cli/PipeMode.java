package dev.jecho.cli;

import dev.jecho.ClientException;
import dev.jecho.Endpoint;
import dev.jecho.JechoClient;
import dev.jecho.internal.client.Causes;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;

/**
 * The client for scripts: every line is sent, every reply printed on its own line, in order. Over TCP
 * and Unix sockets up to {@link #WINDOW} messages are in flight at once.
 *
 * <p>Lines are bytes, not text: a line goes out as it was read (no decoding, a lone {@code \r} is part of
 * it, a last line without a newline is sent too), and its reply is written as it came, followed by the
 * line's own terminator ({@code \n} or {@code \r\n}, or none). So for an echo service the output is the
 * input, byte for byte, as {@code nc} gives it back, and for {@code upper} its ASCII upper case. On a
 * stream an empty line is no message (zero bytes get no reply) and only its terminator is written; a
 * line longer than {@link #MAX_MESSAGE} goes as several messages, which the stream joins again. UDP sends
 * each line as one datagram, an empty one too. JSON mode sends each line as text (see
 * {@link JechoClient#sendText}), skips empty ones, and prints each reply on a line of its own.
 */
public final class PipeMode {

    static final int WINDOW = 64;
    /** The most a stream message carries: a line without newlines does not need memory of its size. */
    static final int MAX_MESSAGE = 64 * 1024;

    /** A line sent or skipped: its reply (null when nothing was sent) and the bytes written after it. */
    private record Pending(CompletableFuture<byte[]> reply, byte[] after) {
    }

    private final JechoClient client;
    private final OutputStream out;
    private final PrintWriter err;
    private final boolean datagrams;
    private final boolean json;
    private int lost;

    /**
     * @param out where the replies go, as bytes
     * @param err where lost datagrams are reported
     */
    public PipeMode(JechoClient client, OutputStream out, PrintWriter err) {
        this.client = client;
        this.out = out;
        this.err = err;
        this.datagrams = client.endpoint().kind() == Endpoint.Kind.UDP;
        this.json = client.config().json();
    }

    /**
     * Sends every line of {@code in} and writes every reply.
     *
     * @return how many messages got no reply (UDP only; they are reported on the error stream)
     * @throws ClientException when the connection fails, or reading or writing the streams does; the
     *                         replies that came before are written
     */
    public int run(InputStream in) throws ClientException {
        ByteLines lines = new ByteLines(in, datagrams || json ? Integer.MAX_VALUE : MAX_MESSAGE);
        return run(() -> {
            try {
                return lines.next();
            } catch (IOException e) {
                throw new ClientException(ClientException.Reason.IO, "cannot read standard input: " + Causes.describe(e), e);
            }
        });
    }

    /**
     * Sends each text as one line and writes every reply, each on a line of its own.
     *
     * @return how many messages got no reply (UDP only; they are reported on the error stream)
     * @throws ClientException when the connection fails; the replies that came before are written
     */
    public int run(Iterator<String> messages) throws ClientException {
        return run(() -> messages.hasNext()
                ? new ByteLines.Line(messages.next().getBytes(StandardCharsets.UTF_8), ByteLines.LF) : null);
    }

    private interface LineSource {
        /** The next line, or null at the end. */
        ByteLines.Line next() throws ClientException;
    }

    private int run(LineSource lines) throws ClientException {
        ArrayDeque<Pending> inflight = new ArrayDeque<>();
        try {
            ByteLines.Line line;
            while ((line = lines.next()) != null) {
                inflight.add(send(line));
                while (!inflight.isEmpty() && (inflight.size() >= WINDOW || done(inflight.peek()))) {
                    printNext(inflight);
                }
            }
            while (!inflight.isEmpty()) {
                printNext(inflight);
            }
        } finally {
            flushQuietly(); // what came before a failure is written; the failure is what to report
        }
        return lost;
    }

    private Pending send(ByteLines.Line line) {
        if (json) {
            // JSON Lines are text, a blank line no message (the server answers none); a reply is a line of its own
            // whatever ended the input's line
            return isJsonBlank(line.content()) ? new Pending(null, ByteLines.NONE)
                    : new Pending(client.sendText(new String(line.content(), StandardCharsets.UTF_8)), ByteLines.LF);
        }
        if (line.content().length == 0 && !datagrams) {
            return new Pending(null, line.terminator());
        }
        return new Pending(client.send(line.content()), line.terminator());
    }

    /** Only JSON's whitespace (space, tab, CR, LF), or nothing: no value, so no message and no reply. */
    static boolean isJsonBlank(byte[] line) {
        for (byte b : line) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    private static boolean done(Pending p) {
        return p.reply() == null || p.reply().isDone();
    }

    private void printNext(ArrayDeque<Pending> inflight) throws ClientException {
        Pending p = inflight.poll();
        try {
            if (p.reply() != null) {
                write(JechoClient.await(p.reply()));
            }
            write(p.after());
        } catch (ClientException e) {
            if (e.reason() != ClientException.Reason.LOST) {
                throw e;
            }
            lost++;
            flush();
            err.println("jecho: " + e.getMessage());
        }
        if (inflight.isEmpty() || !done(inflight.peek())) {
            flush();
        }
    }

    private void write(byte[] bytes) throws ClientException {
        try {
            out.write(bytes);
        } catch (IOException e) {
            throw new ClientException(ClientException.Reason.IO, "cannot write standard output: " + Causes.describe(e), e);
        }
    }

    private void flushQuietly() {
        try {
            out.flush();
        } catch (IOException e) {
            // reported by the write or flush that failed first
        }
    }

    private void flush() throws ClientException {
        try {
            out.flush();
        } catch (IOException e) {
            throw new ClientException(ClientException.Reason.IO, "cannot write standard output: " + Causes.describe(e), e);
        }
    }
}
