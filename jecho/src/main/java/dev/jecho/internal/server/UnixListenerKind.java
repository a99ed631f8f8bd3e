package dev.jecho.internal.server;

import dev.jecho.Endpoint;
import dev.jecho.ListenerException;
import dev.jecho.ListenerRecorder;
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
        ListenerContext context = streams.context();
        ListenerRecorder recorder = context.recorderFor(endpoint);
        StreamListener listener = streams.listener(endpoint, recorder, true);
        ServerBootstrap b = streams.bootstrap(Endpoint.Kind.UNIX, listener, null);
        sockets.buffers(b::childOption);
        try {
            UnixSocketFile.bindPrivately(endpoint.path(),
                    at -> ListenerContext.bind(endpoint, b, context.transport().domainAddress(at), opened));
        } catch (ListenerException e) {
            throw e;
        } catch (IOException e) {
            throw new ListenerException(endpoint, e.getMessage(), e);
        }
        socketFiles.add(endpoint.path()); // only now: a file that appeared meanwhile is someone else's
        return StreamListeners.bound(endpoint, listener, recorder);
    }

    @Override
    public void closed() {
        socketFiles.forEach(UnixSocketFile::delete);
    }
}
