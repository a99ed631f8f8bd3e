package dev.jecho.metrics;

import dev.jecho.ConnectionInfo;
import dev.jecho.Faults;
import dev.jecho.JechoServer;
import dev.jecho.ServerConfig;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** What the HTTP endpoint asks the server, beyond the counters: is it accepting, and what is open. */
public interface ServerView {

    /**
     * Whether the server accepts connections. Cheap, and never blocks.
     *
     * @return true while every listener accepts; false once the server is stopping
     */
    boolean accepting();

    /**
     * The stream connections open now. Each is described on its own event loop, so this does not wait: the
     * list comes when every connection has answered, or after a bound without those that have not (closed
     * meanwhile, or their event loop busy).
     *
     * @return the open connections, to come
     */
    CompletableFuture<List<ConnectionInfo>> openConnections();

    /**
     * The faults {@code /faults} shows and changes, or null when it is off.
     *
     * @return the server's live faults; null (the default) turns {@code /faults} off
     */
    default Faults faults() {
        return null;
    }

    /**
     * The view of a running jecho server.
     *
     * @param server the server
     * @return its view
     */
    static ServerView of(JechoServer server) {
        return new ServerView() {
            @Override
            public boolean accepting() {
                return server.accepting();
            }

            @Override
            public CompletableFuture<List<ConnectionInfo>> openConnections() {
                return server.connections();
            }

            /** Only on a server started to inject faults: no one can turn a production server's on over HTTP. */
            @Override
            public Faults faults() {
                ServerConfig config = server.config();
                return config.faults().isEmpty() && config.faultSeed().isEmpty() ? null : server.faults();
            }
        };
    }
}
