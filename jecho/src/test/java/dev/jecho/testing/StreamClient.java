package dev.jecho.testing;

import dev.jecho.Endpoint;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/** A plain blocking JDK client for TCP and Unix sockets, independent of the code under test. */
public final class StreamClient implements AutoCloseable {

    private final SocketChannel channel;

    private StreamClient(SocketChannel channel) {
        this.channel = channel;
    }

    public static StreamClient connect(Endpoint endpoint) throws IOException {
        SocketChannel ch;
        if (endpoint.kind() == Endpoint.Kind.UNIX) {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(endpoint.path()));
        } else {
            ch = SocketChannel.open();
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.connect(new InetSocketAddress(endpoint.host(), endpoint.port()));
        }
        return new StreamClient(ch);
    }

    /** Connects over TCP from a chosen local address (127.0.0.x acts as a distinct source on loopback). */
    public static StreamClient connectFrom(Endpoint endpoint, String localAddress) throws IOException {
        SocketChannel ch = SocketChannel.open();
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        ch.bind(new InetSocketAddress(localAddress, 0));
        ch.connect(new InetSocketAddress(endpoint.host(), endpoint.port()));
        return new StreamClient(ch);
    }

    /** Closes with a reset (SO_LINGER 0), as a crashed client or a dropped network does. */
    public void reset() throws IOException {
        channel.setOption(StandardSocketOptions.SO_LINGER, 0);
        channel.close();
    }

    public SocketChannel channel() {
        return channel;
    }

    public void write(byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    /** Reads exactly n bytes, however they are segmented. */
    public byte[] read(int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (channel.read(b) < 0) {
                throw new EOFException("end of stream after " + b.position() + " of " + n + " bytes");
            }
        }
        return b.array();
    }

    public byte[] exchange(byte[] message) throws IOException {
        write(message);
        return read(message.length);
    }

    /**
     * Reads until the peer closes (end of stream, or a reset) and returns how many bytes came before; for
     * TCP and Unix sockets alike.
     *
     * @throws SocketTimeoutException when the connection is still open after {@code timeout}
     */
    public long readUntilClosed(Duration timeout) throws IOException {
        channel.configureBlocking(false);
        try (Selector selector = Selector.open()) {
            channel.register(selector, SelectionKey.OP_READ);
            long deadline = System.nanoTime() + timeout.toNanos();
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            long total = 0;
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new SocketTimeoutException("still open after " + timeout.toMillis() + " ms (" + total + " bytes read)");
                }
                selector.select(Math.max(1, left / 1_000_000));
                selector.selectedKeys().clear();
                int n;
                try {
                    buf.clear();
                    n = channel.read(buf);
                } catch (IOException e) {
                    if (String.valueOf(e.getMessage()).contains("reset")) {
                        return total;
                    }
                    throw e;
                }
                if (n < 0) {
                    return total;
                }
                total += n;
            }
        }
    }

    /** True when the peer has closed: a read returns end of stream. */
    public boolean readsEndOfStream() throws IOException {
        return channel.read(ByteBuffer.allocate(1)) < 0;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
