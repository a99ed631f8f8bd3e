package dev.jecho.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;

/**
 * A blocking client of one {@link ListenerKind}: its socket (inside TLS when the kind has it) and, for an
 * authenticated kind, the session after jecho's handshake ({@link RawSession}). Payload in, payload out, whatever
 * carries it: a scenario sends the same messages over every kind.
 */
public final class Session implements AutoCloseable {

    private final ListenerKind kind;
    private final StreamClient socket;
    private final RawSession records;
    private byte[] unread = new byte[0];

    private Session(ListenerKind kind, StreamClient socket, RawSession records) {
        this.kind = kind;
        this.socket = socket;
        this.records = records;
    }

    static Session open(ListenerKind kind, StreamClient socket) throws IOException {
        try {
            RawSession records = kind.framing() == ListenerKind.Framing.AUTHENTICATED
                    ? RawSession.open(RawSession.Wire.of(socket), ListenerKind.KEY, socket.tlsBinding()) : null;
            return new Session(kind, socket, records);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** The kind this session is of. */
    public ListenerKind kind() {
        return kind;
    }

    /** The socket (TLS done), for what a scenario does below the payload: a reset, bytes outside any record. */
    public StreamClient socket() {
        return socket;
    }

    /** The authenticated session's records, or null for a kind without them. */
    public RawSession records() {
        return records;
    }

    /** Sends payload: as it is, or sealed in session records of at most 64 KiB (all in one write). */
    public void send(byte[] payload) throws IOException {
        if (records != null) {
            records.send(payload);
        } else {
            socket.write(payload);
        }
    }

    /** Reads exactly {@code n} bytes of payload, however they come. */
    public byte[] receive(int n) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(n);
        while (out.size() < n) {
            byte[] some = receiveSome();
            if (some == null) {
                throw new java.io.EOFException("end of stream after " + out.size() + " of " + n + " payload bytes");
            }
            int take = Math.min(some.length, n - out.size());
            out.write(some, 0, take);
            if (take < some.length) {
                unread = Arrays.copyOfRange(some, take, some.length);
            }
        }
        return out.toByteArray();
    }

    /** The payload that comes next (a read's worth, or a record's), or null at the end of the stream. */
    public byte[] receiveSome() throws IOException {
        if (unread.length > 0) {
            byte[] some = unread;
            unread = new byte[0];
            return some;
        }
        if (records != null) {
            try {
                return records.receiveRecord();
            } catch (java.io.EOFException end) {
                return null;
            }
        }
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        int n = socket.read(buf);
        return n < 0 ? null : Arrays.copyOf(buf.array(), n);
    }

    /** Reads payload until the end of the stream; all of it. */
    public byte[] receiveUntilEnd() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] some;
        while ((some = receiveSome()) != null) {
            out.writeBytes(some);
        }
        return out.toByteArray();
    }

    /** Shuts down the output (half-close; inside TLS after its close_notify). */
    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** Closes with a reset (SO_LINGER 0), as a crashed client or a dropped network does. */
    public void reset() throws IOException {
        socket.reset();
    }

    /** Reads until the server closes and returns how many bytes came (on the wire, inside TLS). */
    public long readUntilClosed(Duration timeout) throws IOException {
        return unread.length + socket.readUntilClosed(timeout);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
