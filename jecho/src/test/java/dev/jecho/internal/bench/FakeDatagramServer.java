package dev.jecho.internal.bench;

import dev.jecho.Endpoint;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A misbehaving UDP echo server (plain JDK sockets): of the datagrams it receives, it drops every
 * {@code dropEvery}-th, answers every {@code duplicateEvery}-th twice, and holds back every
 * {@code swapEvery}-th until it has answered the next one (so those two replies arrive swapped).
 * It counts what it did.
 */
final class FakeDatagramServer implements AutoCloseable {

    private final DatagramSocket socket;
    private final Thread thread;
    private final int dropEvery;
    private final int duplicateEvery;
    private final int swapEvery;
    final AtomicInteger received = new AtomicInteger();
    final AtomicInteger dropped = new AtomicInteger();
    final AtomicInteger duplicated = new AtomicInteger();
    final AtomicInteger swapped = new AtomicInteger();

    private final boolean garbage;

    FakeDatagramServer(int dropEvery, int duplicateEvery, int swapEvery) throws SocketException {
        this(dropEvery, duplicateEvery, swapEvery, false);
    }

    private FakeDatagramServer(int dropEvery, int duplicateEvery, int swapEvery, boolean garbage) throws SocketException {
        this.socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        this.dropEvery = dropEvery;
        this.duplicateEvery = duplicateEvery;
        this.swapEvery = swapEvery;
        this.garbage = garbage;
        this.thread = new Thread(this::serve, "fake-udp");
        thread.setDaemon(true);
        thread.start();
    }

    /** Answers every datagram at once with as many bytes, none of them a letter or a digit. */
    static FakeDatagramServer garbage() throws SocketException {
        return new FakeDatagramServer(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, true);
    }

    Endpoint endpoint() {
        return Endpoint.udp("127.0.0.1", socket.getLocalPort());
    }

    private void serve() {
        byte[] buf = new byte[65536];
        DatagramPacket held = null;
        try {
            while (!socket.isClosed()) {
                DatagramPacket in = new DatagramPacket(buf, buf.length);
                socket.receive(in);
                int n = received.incrementAndGet();
                byte[] data = in.getData().clone();
                if (garbage) {
                    java.util.Arrays.fill(data, 0, in.getLength(), (byte) '#');
                }
                DatagramPacket reply = new DatagramPacket(data, in.getLength(), in.getSocketAddress());
                if (n % dropEvery == 0) {
                    dropped.incrementAndGet();
                    continue;
                }
                if (n % swapEvery == 0 && held == null) {
                    held = reply;
                    continue;
                }
                socket.send(reply);
                if (n % duplicateEvery == 0) {
                    socket.send(reply);
                    duplicated.incrementAndGet();
                }
                if (held != null) {
                    socket.send(held);
                    swapped.incrementAndGet();
                    held = null;
                }
            }
        } catch (IOException e) {
            // closed
        }
    }

    @Override
    public void close() {
        socket.close();
        join(thread);
    }

    private static void join(Thread t) {
        try {
            t.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
