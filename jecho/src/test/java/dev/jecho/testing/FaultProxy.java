package dev.jecho.testing;

import dev.jecho.Endpoint;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy that injects the faults this kernel cannot (no netem): it forwards every byte between a
 * client and an upstream server (TCP or Unix socket) unchanged and in order, but re-cuts the stream into
 * segments of at most {@code segmentSize} bytes, one write each with Nagle off, optionally pausing between
 * segments (a slow link). Any protocol goes through it, so every mode's segmentation test can use it.
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.start(server.boundEndpoints().get(0), FaultProxy.Faults.segments(1))) {
 *     StreamClient client = StreamClient.connect(proxy.endpoint());
 * }
 * }</pre>
 */
public final class FaultProxy implements AutoCloseable {

    /** What the proxy does to the bytes it forwards. */
    public record Faults(int segmentSize, Duration pause, boolean upstreamOnly) {
        public Faults {
            if (segmentSize < 1) {
                throw new IllegalArgumentException("segment size must be at least 1");
            }
        }

        /** Forward as read. */
        public static Faults none() {
            return new Faults(64 * 1024, Duration.ZERO, false);
        }

        /** Both directions cut into segments of at most {@code size} bytes. */
        public static Faults segments(int size) {
            return new Faults(size, Duration.ZERO, false);
        }

        /** The same, with a pause after each segment. */
        public Faults pausing(Duration pauseAfterEachSegment) {
            return new Faults(segmentSize, pauseAfterEachSegment, upstreamOnly);
        }

        /** Only the client-to-server direction is cut; replies are forwarded as read. */
        public Faults towardsServerOnly() {
            return new Faults(segmentSize, pause, true);
        }
    }

    private final ServerSocketChannel listener;
    private final Endpoint upstream;
    private final Faults faults;
    private final List<SocketChannel> sockets = new CopyOnWriteArrayList<>();
    private final AtomicLong segments = new AtomicLong();
    private final Thread acceptor;
    private volatile boolean closed;

    private FaultProxy(ServerSocketChannel listener, Endpoint upstream, Faults faults) {
        this.listener = listener;
        this.upstream = upstream;
        this.faults = faults;
        this.acceptor = new Thread(this::acceptLoop, "fault-proxy-accept");
        this.acceptor.setDaemon(true);
    }

    /** Listens on 127.0.0.1 at a free port and forwards to {@code upstream}. */
    public static FaultProxy start(Endpoint upstream, Faults faults) throws IOException {
        ServerSocketChannel listener = ServerSocketChannel.open();
        listener.bind(new InetSocketAddress("127.0.0.1", 0));
        FaultProxy proxy = new FaultProxy(listener, upstream, faults);
        proxy.acceptor.start();
        return proxy;
    }

    /** Where clients connect. */
    public Endpoint endpoint() throws IOException {
        return Endpoint.tcp("127.0.0.1", ((InetSocketAddress) listener.getLocalAddress()).getPort());
    }

    /** Writes made so far, both directions: proof that the stream really was cut. */
    public long segmentsWritten() {
        return segments.get();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                SocketChannel client = listener.accept();
                client.setOption(StandardSocketOptions.TCP_NODELAY, true);
                SocketChannel server = connectUpstream();
                sockets.add(client);
                sockets.add(server);
                pump(client, server, faults, "up");
                pump(server, client, faults.upstreamOnly() ? Faults.none() : faults, "down");
            } catch (IOException e) {
                if (!closed) {
                    throw new IllegalStateException("fault proxy failed to accept or connect: " + e, e);
                }
                return;
            }
        }
    }

    private SocketChannel connectUpstream() throws IOException {
        if (upstream.kind() == Endpoint.Kind.UNIX) {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(upstream.path()));
            return ch;
        }
        SocketChannel ch = SocketChannel.open();
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        ch.connect(new InetSocketAddress(upstream.host(), upstream.port()));
        return ch;
    }

    /** Copies {@code from} to {@code to} in segments; passes on an end of stream as a half-close. */
    private void pump(SocketChannel from, SocketChannel to, Faults f, String direction) {
        Thread t = new Thread(() -> {
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            try {
                while (from.read(buf) >= 0) {
                    buf.flip();
                    while (buf.hasRemaining()) {
                        ByteBuffer segment = buf.slice();
                        segment.limit(Math.min(f.segmentSize(), buf.remaining()));
                        while (segment.hasRemaining()) {
                            buf.position(buf.position() + to.write(segment));
                        }
                        segments.incrementAndGet();
                        if (!f.pause().isZero()) {
                            LockSupport.parkNanos(f.pause().toNanos());
                        }
                    }
                    buf.clear();
                }
                to.shutdownOutput();
            } catch (IOException e) {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "fault-proxy-" + direction);
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing after a failure: the failure itself already ended the pump
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        for (SocketChannel ch : sockets) {
            ch.close();
        }
    }
}
