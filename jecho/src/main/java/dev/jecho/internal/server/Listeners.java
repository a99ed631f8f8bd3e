package dev.jecho.internal.server;

import dev.jecho.Endpoint;
import dev.jecho.ListenerException;
import dev.jecho.internal.transport.InheritedSocket;
import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A server's listeners, of every kind: opened one by one, closed together. */
public final class Listeners {

    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

    private final TcpListenerKind tcp;
    private final UnixListenerKind unix;
    private final UdpListenerKind udp;
    private final List<Channel> channels = new CopyOnWriteArrayList<>();
    private final List<Endpoint> bound = new CopyOnWriteArrayList<>();

    public Listeners(TcpListenerKind tcp, UnixListenerKind unix, UdpListenerKind udp) {
        this.tcp = tcp;
        this.unix = unix;
        this.udp = udp;
    }

    /** Opens a listener; if that fails, {@link #close()} closes whatever it had bound. */
    public void open(Endpoint endpoint) throws ListenerException {
        Endpoint at = kindOf(endpoint).open(endpoint, channels::add);
        bound.add(at);
        LOG.debug("listening on {}", at);
    }

    /** Serves a listening socket handed over (socket activation); if that fails, as {@link #open}. */
    public void adopt(InheritedSocket socket) throws ListenerException {
        Endpoint at = kindOf(socket.endpoint()).adopt(socket, channels::add);
        bound.add(at);
        LOG.debug("listening on {}, handed over as descriptor {}", at, socket.fd());
    }

    private ListenerKind kindOf(Endpoint endpoint) {
        return switch (endpoint.kind()) {
            case TCP -> tcp;
            case UNIX -> unix;
            case UDP -> udp;
        };
    }

    /** The listeners as bound, in the order opened. */
    public List<Endpoint> bound() {
        return List.copyOf(bound);
    }

    /** Whether there are listeners and every one is open. */
    public boolean allOpen() {
        if (channels.isEmpty()) {
            return false;
        }
        for (Channel channel : channels) {
            if (!channel.isActive()) {
                return false;
            }
        }
        return true;
    }

    /** Closes every listener, so new connections are refused, and removes the socket files. */
    public void close() {
        for (Channel channel : new ArrayList<>(channels)) {
            channel.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
        unix.closed();
    }
}
