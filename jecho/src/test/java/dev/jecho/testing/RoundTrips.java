package dev.jecho.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * One ASCII message and its reply of the same length, each on a connection or socket of its own, with plain JDK
 * sockets (no jecho client in between): for tests of how a server is reached rather than of what it answers.
 */
public final class RoundTrips {

    private RoundTrips() {
    }

    /** Over a new TCP connection; waits up to a minute for the reply. */
    public static String tcp(InetSocketAddress at, String message) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(at, 5_000);
            s.setSoTimeout(60_000);
            s.getOutputStream().write(message.getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readNBytes(message.length()), StandardCharsets.US_ASCII);
        }
    }

    /** As one datagram from a new socket on 127.0.0.1; waits up to ten seconds for the reply. */
    public static String udp(InetSocketAddress at, String message) throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            s.setSoTimeout(10_000);
            byte[] bytes = message.getBytes(StandardCharsets.US_ASCII);
            s.send(new DatagramPacket(bytes, bytes.length, at));
            DatagramPacket reply = new DatagramPacket(new byte[bytes.length + 100], bytes.length + 100);
            s.receive(reply);
            return new String(reply.getData(), 0, reply.getLength(), StandardCharsets.US_ASCII);
        }
    }

    /** Over a new Unix-socket connection (blocking: the test's timeout bounds it). */
    public static String unix(Path socket, String message) throws IOException {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            ch.write(ByteBuffer.wrap(message.getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer reply = ByteBuffer.allocate(message.length());
            while (reply.hasRemaining() && ch.read(reply) >= 0) {
                // until the whole reply is in
            }
            return new String(reply.array(), 0, reply.position(), StandardCharsets.US_ASCII);
        }
    }
}
