package dev.jecho.testing;

import dev.jecho.internal.keys.SharedKey;
import dev.jecho.internal.protocol.handshake.HandshakeCrypto;
import dev.jecho.internal.protocol.handshake.HandshakeFormat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The client side of the jecho handshake and session records, written from {@code docs/protocol.md} over a
 * plain blocking socket ({@link StreamClient}, or a TLS socket), so a test can stop anywhere: halfway through
 * the auth message, in the middle of a record, after a record that holds half a JSON line; or write a
 * thousand messages in one write. Only the HMAC and HKDF arithmetic comes from {@link HandshakeCrypto}
 * (itself checked against the document's test vectors).
 */
public final class RawSession {

    /** Where the bytes go: blocking, whole reads. */
    public interface Wire {
        byte[] read(int n) throws IOException;

        void write(byte[] bytes) throws IOException;

        static Wire of(StreamClient client) {
            return new Wire() {
                @Override
                public byte[] read(int n) throws IOException {
                    return client.read(n);
                }

                @Override
                public void write(byte[] bytes) throws IOException {
                    client.write(bytes);
                }
            };
        }

        static Wire of(java.net.Socket socket) throws IOException {
            java.io.InputStream in = socket.getInputStream();
            java.io.OutputStream out = socket.getOutputStream();
            return new Wire() {
                @Override
                public byte[] read(int n) throws IOException {
                    byte[] b = in.readNBytes(n);
                    if (b.length < n) {
                        throw new java.io.EOFException("end of stream after " + b.length + " of " + n + " bytes");
                    }
                    return b;
                }

                @Override
                public void write(byte[] bytes) throws IOException {
                    out.write(bytes);
                    out.flush();
                }
            };
        }
    }

    private final Wire client;
    private final HandshakeCrypto.SessionKeys keys;
    private long sendSequence;
    private long receiveSequence;

    private RawSession(Wire client, HandshakeCrypto.SessionKeys keys) {
        this.client = client;
        this.keys = keys;
    }

    /** Reads the server hello and returns the client auth message answering it (not yet sent). */
    public static Auth readHelloAndPrepare(StreamClient client, SharedKey key) throws IOException {
        return readHelloAndPrepare(Wire.of(client), key, new byte[0]);
    }

    /**
     * Reads the server hello and returns the client auth message answering it (not yet sent).
     *
     * @param binding empty without TLS; with TLS, SHA-256 of the server certificate's DER encoding
     */
    public static Auth readHelloAndPrepare(Wire client, SharedKey key, byte[] binding) throws IOException {
        byte[] hello = client.read(HandshakeFormat.SERVER_HELLO_LENGTH);
        if (!java.util.Arrays.equals(hello, 0, 4, HandshakeFormat.MAGIC, 0, 4) || hello[4] != HandshakeFormat.VERSION) {
            throw new IOException("not a jecho server hello");
        }
        byte[] serverNonce = java.util.Arrays.copyOfRange(hello, 5, hello.length);
        byte[] clientNonce = HandshakeCrypto.newNonce();
        byte[] transcript = HandshakeCrypto.transcript(serverNonce, clientNonce, key.id(), binding);
        byte[] id = key.id().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer auth = ByteBuffer.allocate(HandshakeFormat.CLIENT_AUTH_PREFIX + id.length + 64);
        auth.put(HandshakeFormat.MAGIC).put(HandshakeFormat.VERSION).put((byte) id.length).put(id).put(clientNonce)
                .put(HandshakeCrypto.clientProof(key.spec(), transcript));
        return new Auth(client, key, serverNonce, clientNonce, transcript, auth.array());
    }

    /** Performs the whole handshake. */
    public static RawSession open(StreamClient client, SharedKey key) throws IOException {
        return open(Wire.of(client), key, new byte[0]);
    }

    /** Performs the whole handshake; {@code binding} as for {@link #readHelloAndPrepare(Wire, SharedKey, byte[])}. */
    public static RawSession open(Wire client, SharedKey key, byte[] binding) throws IOException {
        Auth auth = readHelloAndPrepare(client, key, binding);
        client.write(auth.message());
        return auth.finish();
    }

    /** A prepared client auth message and what is needed to finish the handshake once it is sent. */
    public record Auth(Wire client, SharedKey key, byte[] serverNonce, byte[] clientNonce, byte[] transcript,
                       byte[] message) {

        /** Reads the server's answer and checks its proof. */
        public RawSession finish() throws IOException {
            byte[] answer = client.read(HandshakeFormat.SERVER_AUTH_LENGTH);
            if (answer[0] != HandshakeFormat.ACCEPTED) {
                throw new IOException("the server refused the proof");
            }
            byte[] expected = HandshakeCrypto.serverProof(key.spec(), transcript);
            if (!MessageDigest.isEqual(expected, java.util.Arrays.copyOfRange(answer, 1, answer.length))) {
                throw new IOException("wrong server proof");
            }
            return new RawSession(client, HandshakeCrypto.sessionKeys(key.spec(), serverNonce, clientNonce, transcript));
        }
    }

    /** One record of {@code payload} (at most 65536 bytes), as the client would send it next. */
    public byte[] seal(byte[] payload) {
        ByteBuffer header = ByteBuffer.allocate(12).putLong(sendSequence++).putInt(payload.length);
        byte[] tag = HandshakeCrypto.hmac(keys.clientToServer(), header.array(), payload);
        return ByteBuffer.allocate(4 + payload.length + 32).putInt(payload.length).put(payload).put(tag).array();
    }

    /** Seals {@code payload} into records of at most 65536 bytes and sends them. */
    public void send(byte[] payload) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int at = 0; at < payload.length; at += HandshakeFormat.MAX_RECORD_PAYLOAD) {
            int n = Math.min(HandshakeFormat.MAX_RECORD_PAYLOAD, payload.length - at);
            out.writeBytes(seal(java.util.Arrays.copyOfRange(payload, at, at + n)));
        }
        client.write(out.toByteArray());
    }

    /** Reads records until {@code n} payload bytes have arrived, checking each tag. */
    public byte[] receive(int n) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (out.size() < n) {
            out.writeBytes(receiveRecord());
        }
        return out.toByteArray();
    }

    /** Reads one record and returns its payload, checking its tag. */
    public byte[] receiveRecord() throws IOException {
        int length = ByteBuffer.wrap(client.read(4)).getInt();
        byte[] payload = client.read(length);
        byte[] tag = client.read(32);
        byte[] header = ByteBuffer.allocate(12).putLong(receiveSequence++).putInt(length).array();
        if (!MessageDigest.isEqual(tag, HandshakeCrypto.hmac(keys.serverToClient(), header, payload))) {
            throw new IOException("bad record tag from the server");
        }
        return payload;
    }
}
