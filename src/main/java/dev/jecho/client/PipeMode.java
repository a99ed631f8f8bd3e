package dev.jecho.client;

import dev.jecho.transport.Endpoint;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;

/**
 * The client for scripts: every line is sent, every reply printed on its own line, in order. Over TCP
 * and Unix sockets up to {@link #WINDOW} messages are in flight at once; empty lines are skipped there
 * (zero bytes on a stream are no message), while on UDP they go as empty datagrams.
 */
public final class PipeMode {

    static final int WINDOW = 64;

    private final JechoClient client;
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean sendEmpty;
    private int lost;

    public PipeMode(JechoClient client, PrintWriter out, PrintWriter err) {
        this.client = client;
        this.out = out;
        this.err = err;
        this.sendEmpty = client.endpoint().kind() == Endpoint.Kind.UDP;
    }

    /**
     * Sends every line and prints every reply.
     *
     * @return how many messages got no reply (UDP only; they are reported on the error stream)
     * @throws ClientException when the connection fails; the replies that came before are printed
     */
    public int run(Iterator<String> lines) throws ClientException {
        ArrayDeque<CompletableFuture<byte[]>> inflight = new ArrayDeque<>();
        try {
            while (lines.hasNext()) {
                String line = lines.next();
                if (line.isEmpty() && !sendEmpty) {
                    continue;
                }
                inflight.add(client.sendText(line));
                while (!inflight.isEmpty() && (inflight.size() >= WINDOW || inflight.peek().isDone())) {
                    printNext(inflight);
                }
            }
            while (!inflight.isEmpty()) {
                printNext(inflight);
            }
        } finally {
            out.flush();
        }
        return lost;
    }

    private void printNext(ArrayDeque<CompletableFuture<byte[]>> inflight) throws ClientException {
        try {
            byte[] reply = JechoClient.await(inflight.poll());
            out.println(new String(reply, StandardCharsets.UTF_8));
        } catch (ClientException e) {
            if (e.reason() != ClientException.Reason.LOST) {
                throw e;
            }
            lost++;
            out.flush();
            err.println("jecho: " + e.getMessage());
        }
        if (inflight.isEmpty() || !inflight.peek().isDone()) {
            out.flush();
        }
    }
}
