package dev.jecho.testing;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.security.cert.Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * TLS over a blocking {@link SocketChannel}, TCP or Unix socket alike (the JDK's {@code SSLSocket} needs a
 * {@code Socket}, which a Unix-domain channel has not): the JDK's {@link SSLEngine}, driven by hand. Independent
 * of the code under test, as {@link StreamClient} is. One thread may write while another reads (the engine allows
 * {@code wrap} and {@code unwrap} at once).
 */
final class TlsOverChannel {

    private final SocketChannel channel;
    private final SSLEngine engine;
    private final Object writing = new Object();
    private final Object reading = new Object();
    private ByteBuffer netIn;
    private ByteBuffer appIn;
    private boolean inboundDone;

    /** Runs the TLS handshake as a client. */
    TlsOverChannel(SocketChannel channel, SSLEngine engine) throws IOException {
        this.channel = channel;
        this.engine = engine;
        this.netIn = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
        appIn.flip();
        engine.setUseClientMode(true);
        engine.beginHandshake();
        handshake();
    }

    private void handshake() throws IOException {
        while (true) {
            switch (engine.getHandshakeStatus()) {
                case NEED_WRAP -> wrap(ByteBuffer.allocate(0));
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    synchronized (reading) {
                        if (unwrapSome() < 0) {
                            throw new EOFException("the server closed the connection during the TLS handshake");
                        }
                    }
                }
                case NEED_TASK -> runTasks();
                default -> {
                    return;
                }
            }
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    /** The server's certificate chain, leaf first. */
    Certificate[] peerCertificates() throws SSLException {
        return engine.getSession().getPeerCertificates();
    }

    /** Encrypts and sends all of {@code bytes}. */
    void write(ByteBuffer bytes) throws IOException {
        do {
            wrap(bytes);
        } while (bytes.hasRemaining());
    }

    private void wrap(ByteBuffer app) throws IOException {
        synchronized (writing) {
            ByteBuffer net = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            SSLEngineResult result = engine.wrap(app, net);
            if (result.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                runTasks();
            }
            if (result.getStatus() != SSLEngineResult.Status.OK && result.getStatus() != SSLEngineResult.Status.CLOSED) {
                throw new SSLException("wrap: " + result);
            }
            net.flip();
            while (net.hasRemaining()) {
                channel.write(net);
            }
        }
    }

    /**
     * Reads decrypted bytes into {@code dst}: at least one, or -1 at the end (the server's close_notify).
     *
     * @throws SSLException at the end of the stream without close_notify
     */
    int read(ByteBuffer dst) throws IOException {
        synchronized (reading) {
            while (!appIn.hasRemaining()) {
                if (unwrapSome() < 0) {
                    return -1;
                }
            }
            int n = Math.min(dst.remaining(), appIn.remaining());
            ByteBuffer slice = appIn.slice();
            slice.limit(n);
            dst.put(slice);
            appIn.position(appIn.position() + n);
            return n;
        }
    }

    /** Unwraps one record into {@code appIn} (reading from the socket as needed); -1 at the end. */
    private int unwrapSome() throws IOException {
        if (inboundDone) {
            return -1;
        }
        while (true) {
            netIn.flip();
            appIn.compact();
            SSLEngineResult result;
            try {
                result = engine.unwrap(netIn, appIn);
            } finally {
                appIn.flip();
                netIn.compact();
            }
            if (result.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                runTasks();
            }
            if (result.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                wrap(ByteBuffer.allocate(0)); // a post-handshake message that wants an answer (a key update)
            }
            switch (result.getStatus()) {
                case OK -> {
                    if (result.bytesProduced() > 0 || result.bytesConsumed() > 0) {
                        return result.bytesProduced();
                    }
                }
                case CLOSED -> {
                    inboundDone = true;
                    return -1;
                }
                case BUFFER_OVERFLOW -> {
                    ByteBuffer bigger = ByteBuffer.allocate(appIn.capacity() * 2);
                    bigger.put(appIn).flip();
                    appIn = bigger;
                    continue;
                }
                case BUFFER_UNDERFLOW -> {
                    if (netIn.remaining() == 0) {
                        ByteBuffer bigger = ByteBuffer.allocate(netIn.capacity() * 2);
                        netIn.flip();
                        bigger.put(netIn);
                        netIn = bigger;
                    }
                }
            }
            if (channel.read(netIn) < 0) {
                inboundDone = true;
                // TLS ends with close_notify: a stream that just stops may have been cut (a truncation attack, to a
                // strict client such as Python's ssl, which raises SSLEOFError); jecho must never end a stream so
                throw new SSLException("the server ended the stream without TLS's close_notify");
            }
        }
    }

    /** Sends close_notify and shuts the socket's output down: TLS's half-close. */
    void shutdownOutput() throws IOException {
        engine.closeOutbound();
        while (!engine.isOutboundDone()) {
            wrap(ByteBuffer.allocate(0));
        }
        channel.shutdownOutput();
    }
}
