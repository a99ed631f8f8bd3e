package dev.jecho.internal.transport;

import dev.jecho.Endpoint;
import io.netty.channel.ChannelException;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.Socket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A listening socket this process was handed open, as systemd's socket activation hands them over
 * ({@link SocketActivation}): its descriptor, and the endpoint it was bound to, read from the socket itself.
 *
 * @param name the name the supervisor gave it ({@code LISTEN_FDNAMES}), or null
 */
public record InheritedSocket(int fd, Endpoint endpoint, String name) {

    // <sys/socket.h>, the same on every Linux architecture
    private static final int SOL_SOCKET = 1;
    private static final int SO_TYPE = 3;
    private static final int SO_ACCEPTCONN = 30;
    private static final int SO_DOMAIN = 39;
    private static final int AF_UNIX = 1;
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int O_NONBLOCK = 04000; // <fcntl.h>, octal as /proc prints the flags

    /**
     * Reads what socket {@code fd} is: TCP, UDP or Unix stream, and where it is bound. Only epoll's native
     * library reads a descriptor's socket options, so socket activation needs epoll.
     *
     * @throws IOException when {@code fd} is no socket, or a socket jecho cannot serve (connected, not listening,
     *                     another family or type)
     */
    public static InheritedSocket inspect(int fd, String name) throws IOException {
        if (!Epoll.isAvailable()) {
            throw new IOException("socket activation needs the epoll transport, which cannot load here: "
                    + Epoll.unavailabilityCause().getMessage());
        }
        Socket socket;
        int domain;
        int type;
        try {
            socket = new Socket(fd); // a view: never closed here, the descriptor is the listener's
            domain = socket.getIntOpt(SOL_SOCKET, SO_DOMAIN);
            type = socket.getIntOpt(SOL_SOCKET, SO_TYPE);
        } catch (IOException | ChannelException e) {
            throw new IOException("descriptor " + fd + " is not a socket (" + e.getMessage() + ")", e);
        }
        boolean inet = domain == AF_INET || domain == AF_INET6;
        if (type == SOCK_STREAM && socket.getIntOpt(SOL_SOCKET, SO_ACCEPTCONN) == 0) {
            throw new IOException("socket " + fd + " is a stream socket that is not listening");
        }
        Endpoint endpoint;
        if (inet && type == SOCK_STREAM) {
            InetSocketAddress at = socket.localAddress();
            endpoint = Endpoint.tcp(at.getAddress().getHostAddress(), at.getPort());
        } else if (inet && type == SOCK_DGRAM) {
            InetSocketAddress at = socket.localAddress();
            endpoint = Endpoint.udp(at.getAddress().getHostAddress(), at.getPort());
        } else if (domain == AF_UNIX && type == SOCK_STREAM) {
            DomainSocketAddress at = socket.localDomainSocketAddress();
            if (at == null || at.path().isEmpty()) {
                throw new IOException("Unix socket " + fd + " has no path (an abstract or unnamed socket)");
            }
            endpoint = Endpoint.unix(Path.of(at.path()));
        } else {
            throw new IOException("socket " + fd + " is neither TCP, UDP nor a Unix stream socket (family " + domain
                    + ", type " + type + ")");
        }
        if (blocking(fd)) {
            // Netty reads and accepts until the socket says "no more": a blocking one never says it, it waits
            throw new IOException("socket " + fd + " is in blocking mode, where it would stall the server: hand it over"
                    + " non-blocking (NonBlocking=yes in the systemd service unit)");
        }
        return new InheritedSocket(fd, endpoint, name);
    }

    /** O_NONBLOCK is not set on {@code fd}, as its flags in /proc say (false when they cannot be read). */
    static boolean blocking(int fd) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd))) {
                if (line.startsWith("flags:")) {
                    return (Integer.parseInt(line.substring("flags:".length()).trim(), 8) & O_NONBLOCK) == 0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // no /proc: the supervisor's word is all there is
        }
        return false;
    }

    @Override
    public String toString() {
        return endpoint + " (descriptor " + fd + (name == null ? "" : ", '" + name + "'") + ")";
    }
}
