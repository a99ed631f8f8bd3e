package dev.jecho.internal.server;

import dev.jecho.Endpoint;
import dev.jecho.ListenerException;
import dev.jecho.ListenerRecorder;
import dev.jecho.internal.transport.InheritedSocket;
import dev.jecho.internal.transport.SocketOptions;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Unix-socket listeners: the socket file ({@link UnixSocketFile}: a stale one replaced, bound privately, mode
 * 0600, removed at the stop) and the buffer sizes on the connections it accepts; no TCP options, no PROXY
 * protocol, and its clients are never limited per source.
 */
public final class UnixListenerKind implements ListenerKind {

    private final StreamListeners streams;
    private final SocketOptions sockets;
    private final List<Path> socketFiles = new CopyOnWriteArrayList<>();

    public UnixListenerKind(StreamListeners streams, SocketOptions sockets) {
        this.streams = streams;
        this.sockets = sockets;
    }

    @Override
    public Endpoint open(Endpoint endpoint, Consumer<Channel> opened) throws ListenerException {
        String problem = UnixSocketFile.prepare(endpoint.path());
        if (problem != null) {
            throw new ListenerException(endpoint, problem, null);
        }
        Endpoint bound = serve(endpoint, b -> {
            try {
                return UnixSocketFile.bindPrivately(endpoint.path(), at -> streams.binding(endpoint,
                        streams.context().transport().domainAddress(at), opened).open(b));
            } catch (ListenerException e) {
                throw e;
            } catch (IOException e) {
                throw new ListenerException(endpoint, e.getMessage(), e);
            }
        });
        socketFiles.add(endpoint.path()); // only now: a file that appeared meanwhile is someone else's
        return bound;
    }

    /** The socket file stays: it is the supervisor's, which keeps the socket across restarts. */
    @Override
    public Endpoint adopt(InheritedSocket socket, Consumer<Channel> opened) throws ListenerException {
        return serve(socket.endpoint(), b -> streams.context().adopt(socket, b, opened));
    }

    private Endpoint serve(Endpoint endpoint, ListenerContext.Opener<ServerBootstrap> opener) throws ListenerException {
        ListenerRecorder recorder = streams.context().recorderFor(endpoint);
        StreamListener listener = streams.listener(endpoint, recorder, true);
        ServerBootstrap b = streams.bootstrap(listener, null);
        sockets.buffers(b::childOption);
        opener.open(b);
        return StreamListeners.bound(endpoint, listener, recorder);
    }

    @Override
    public void closed() {
        socketFiles.forEach(UnixSocketFile::delete);
    }
}
