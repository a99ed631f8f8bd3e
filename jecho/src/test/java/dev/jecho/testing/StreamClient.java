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
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * A plain blocking JDK client for TCP and Unix sockets, independent of the code under test; with an
 * {@link SSLContext}, the same inside TLS (the JDK's own engine).
 */
public final class StreamClient implements AutoCloseable {

    private final SocketChannel channel;
    private final TlsOverChannel tls;

    private StreamClient(SocketChannel channel, TlsOverChannel tls) {
        this.channel = channel;
        this.tls = tls;
    }

    public static StreamClient connect(Endpoint endpoint) throws IOException {
        return connect(endpoint, null);
    }

    /** Connects, and runs the TLS handshake when {@code tls} is given (null: plain). */
    public static StreamClient connect(Endpoint endpoint, SSLContext tls) throws IOException {
        SocketChannel ch;
        if (endpoint.kind() == Endpoint.Kind.UNIX) {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(endpoint.path()));
        } else {
            ch = SocketChannel.open();
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.connect(new InetSocketAddress(endpoint.host(), endpoint.port()));
        }
        return over(ch, tls, endpoint);
    }

    /** Connects over TCP from a chosen local address (127.0.0.x acts as a distinct source on loopback). */
    public static StreamClient connectFrom(Endpoint endpoint, String localAddress) throws IOException {
        return connectFrom(endpoint, localAddress, null);
    }

    /** The same, inside TLS when {@code tls} is given. */
    public static StreamClient connectFrom(Endpoint endpoint, String localAddress, SSLContext tls) throws IOException {
        SocketChannel ch = SocketChannel.open();
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        ch.bind(new InetSocketAddress(localAddress, 0));
        ch.connect(new InetSocketAddress(endpoint.host(), endpoint.port()));
        return over(ch, tls, endpoint);
    }

    private static StreamClient over(SocketChannel ch, SSLContext tls, Endpoint endpoint) throws IOException {
        if (tls == null) {
            return new StreamClient(ch, null);
        }
        try {
            SSLEngine engine = endpoint.kind() == Endpoint.Kind.UNIX ? tls.createSSLEngine()
                    : tls.createSSLEngine(endpoint.host(), endpoint.port());
            return new StreamClient(ch, new TlsOverChannel(ch, engine));
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** SHA-256 of the server certificate's DER encoding (what jecho's handshake binds to); empty without TLS. */
    public byte[] tlsBinding() throws IOException {
        if (tls == null) {
            return new byte[0];
        }
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(tls.peerCertificates()[0].getEncoded());
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    /** Whether this connection runs inside TLS. */
    public boolean tls() {
        return tls != null;
    }

    /** Closes with a reset (SO_LINGER 0), as a crashed client or a dropped network does. */
    public void reset() throws IOException {
        if (channel.supportedOptions().contains(StandardSocketOptions.SO_LINGER)) { // a Unix socket has no reset: a close
            channel.setOption(StandardSocketOptions.SO_LINGER, 0);
        }
        channel.close();
    }

    /**
     * Reads the socket's raw bytes (a TLS alert, say) to the end, waiting at most {@code timeout} for each read.
     *
     * @return true when the server closed or reset the connection, false when it was still open after the timeout
     */
    public boolean endsWithin(Duration timeout) throws IOException {
        channel.socket().setSoTimeout((int) timeout.toMillis());
        java.io.InputStream in = channel.socket().getInputStream();
        byte[] buf = new byte[512];
        try {
            while (in.read(buf) >= 0) {
                // whatever the server sends before it closes
            }
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (java.net.SocketException reset) {
            return true;
        }
    }

    /** The socket itself: with TLS, bytes written or read here bypass it. */
    public SocketChannel channel() {
        return channel;
    }

    public void write(byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        if (tls != null) {
            tls.write(b);
            return;
        }
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    /** Reads what has come (blocking until something has), as {@link SocketChannel#read} does: -1 at the end. */
    public int read(ByteBuffer into) throws IOException {
        return tls != null ? tls.read(into) : channel.read(into);
    }

    /** Shuts down the output (half-close); with TLS after its close_notify. */
    public void shutdownOutput() throws IOException {
        if (tls != null) {
            tls.shutdownOutput();
        } else {
            channel.shutdownOutput();
        }
    }

    /** Reads exactly n bytes, however they are segmented. */
    public byte[] read(int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (read(b) < 0) {
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
        if (tls != null) {
            return readUntilClosedInTls(timeout);
        }
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

    /** {@link #readUntilClosed} inside TLS: blocking reads, and a watchdog that closes the socket at the deadline. */
    private long readUntilClosedInTls(Duration timeout) throws IOException {
        java.util.concurrent.atomic.AtomicBoolean timedOut = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.CompletableFuture<Void> watchdog = java.util.concurrent.CompletableFuture.runAsync(() -> {
            timedOut.set(true);
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing to end a read: nothing else to do
            }
        }, java.util.concurrent.CompletableFuture.delayedExecutor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
        long total = 0;
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        try {
            while (true) {
                buf.clear();
                int n = tls.read(buf);
                if (n < 0) {
                    return total;
                }
                total += n;
            }
        } catch (IOException e) {
            if (timedOut.get()) {
                throw new SocketTimeoutException("still open after " + timeout.toMillis() + " ms (" + total + " bytes read)");
            }
            if (String.valueOf(e.getMessage()).contains("reset")) {
                return total;
            }
            throw e;
        } finally {
            watchdog.cancel(false);
        }
    }

    /** True when the peer has closed: a read returns end of stream. */
    public boolean readsEndOfStream() throws IOException {
        return read(ByteBuffer.allocate(1)) < 0;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
