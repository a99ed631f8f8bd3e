package dev.jecho.metrics;

import java.util.List;

/** What the HTTP endpoint asks the server, beyond the counters: is it accepting, and what is open. */
public interface ServerView {

    /** True while every listener accepts; false once the server is stopping. */
    boolean accepting();

    /** The stream connections open now; may take a moment (each connection is asked on its own event loop). */
    List<ConnectionInfo> openConnections();
}
