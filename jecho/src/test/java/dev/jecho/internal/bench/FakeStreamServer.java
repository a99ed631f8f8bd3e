package dev.jecho.internal.bench;

import dev.jecho.Endpoint;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A misbehaving TCP echo server for accounting tests: plain blocking JDK sockets (nothing shared with the
 * code under test), one thread per connection, messages of a fixed size, and a {@link Behavior} that
 * decides per message what happens. It counts what it did, so a test can compare the bench's figures
 * with the truth.
 */
final class FakeStreamServer implements AutoCloseable {

    /**
     * What to do with a message: {@code n} counts over all connections, {@code onConnection} within its
     * connection (both from 0), {@code connection} numbers the connections in order of arrival.
     */
    interface Behavior {
        Action on(int n, int connection, int onConnection);
    }

    /** What the server does with one message; {@code rewrite} makes the reply from the message (null: as it is). */
    record Action(long delayMillis, boolean reply, boolean corrupt, boolean close, UnaryOperator<byte[]> rewrite) {
        static Action echo() {
            return new Action(0, true, false, false, null);
        }

        static Action delayed(long millis) {
            return new Action(millis, true, false, false, null);
        }

        static Action dropping() {
            return new Action(0, false, false, false, null);
        }

        static Action corrupting() {
            return new Action(0, true, true, false, null);
        }

        static Action closing() {
            return new Action(0, false, false, true, null);
        }

        /** The message with ASCII a-z upper-cased, as jecho's upper service answers. */
        static Action upper() {
            return new Action(0, true, false, false,
                    m -> new String(m, StandardCharsets.ISO_8859_1).toUpperCase(Locale.ROOT).getBytes(StandardCharsets.ISO_8859_1));
        }

        /** As many bytes as the message, none of them a letter. */
        static Action garbage() {
            return new Action(0, true, false, false, m -> "#".repeat(m.length).getBytes(StandardCharsets.US_ASCII));
        }
    }

    private final ServerSocket listener;
    private final int messageSize;
    private final Behavior behavior;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final AtomicInteger messages = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger dropped = new AtomicInteger();
    final AtomicInteger corrupted = new AtomicInteger();
    final AtomicInteger closed = new AtomicInteger();
    private volatile boolean stopping;

    FakeStreamServer(int messageSize, Behavior behavior) throws IOException {
        this.listener = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        this.messageSize = messageSize;
        this.behavior = behavior;
        Thread acceptor = new Thread(this::accept, "fake-accept");
        acceptor.setDaemon(true);
        threads.add(acceptor);
        acceptor.start();
    }

    Endpoint endpoint() {
        return Endpoint.tcp("127.0.0.1", listener.getLocalPort());
    }

    int connections() {
        return connections.get();
    }

    private void accept() {
        while (!stopping) {
            try {
                Socket s = listener.accept();
                s.setTcpNoDelay(true);
                sockets.add(s);
                int index = connections.getAndIncrement();
                Thread t = new Thread(() -> serve(s, index), "fake-conn-" + index);
                t.setDaemon(true);
                threads.add(t);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket s, int connection) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            byte[] buf = new byte[messageSize];
            int onConnection = 0;
            while (!stopping) {
                readFully(in, buf);
                Action a = behavior.on(messages.getAndIncrement(), connection, onConnection++);
                if (a.delayMillis() > 0) {
                    TimeUnit.MILLISECONDS.sleep(a.delayMillis());
                }
                if (a.close()) {
                    closed.incrementAndGet();
                    return;
                }
                if (!a.reply()) {
                    dropped.incrementAndGet();
                    continue;
                }
                byte[] reply = a.rewrite() != null ? a.rewrite().apply(buf.clone()) : buf.clone();
                if (a.corrupt()) {
                    reply[reply.length / 2] ^= 0x01;
                    corrupted.incrementAndGet();
                }
                out.write(reply);
                out.flush();
            }
        } catch (EOFException | SocketException e) {
            // the client closed: normal at the end of a run or after an error it counted
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void readFully(InputStream in, byte[] buf) throws IOException {
        int n = 0;
        while (n < buf.length) {
            int k = in.read(buf, n, buf.length - n);
            if (k < 0) {
                throw new EOFException();
            }
            n += k;
        }
    }

    @Override
    public void close() throws IOException {
        stopping = true;
        listener.close();
        for (Socket s : sockets) {
            s.close();
        }
        for (Thread t : threads) {
            join(t);
        }
    }

    private static void join(Thread t) {
        try {
            t.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
