package dev.jecho.metrics;

import dev.jecho.ConnectionInfo;
import dev.jecho.JechoServer;

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
        };
    }
}
