package dev.jecho;

/** Live server-wide counts: open and accepted connections, refusals and timeouts by reason, datagrams and drops. */
public interface ServerStats {

    /** Why a stream connection was refused (closed at once, before it was served). */
    public enum Refusal {
        /** {@code --max-connections} connections were open. */
        MAX_CONNECTIONS,
        /** The source had {@code --max-connections-per-ip} connections open. */
        PER_IP,
        /** {@code --max-startups}: too many unauthenticated connections, all sources together. */
        STARTUPS,
        /** The source had {@code --max-startups-per-ip} unauthenticated connections open. */
        STARTUPS_PER_IP,
        /** The source is serving a penalty. */
        PENALTY,
        /** The server is stopping. */
        STOPPING
    }

    /** Why the server closed a connection that it had been serving. */
    public enum Timeout {
        /** Nothing sent, nothing to receive, for {@code --idle-timeout}. */
        IDLE,
        /** Replies unsent for {@code --slow-client-timeout}: the client does not read. */
        SLOW_CLIENT,
        /** Not authenticated within {@code --auth-timeout}: the handshake's deadline closed it. */
        HANDSHAKE
    }

    /**
     * Stream connections (TCP and Unix) open now.
     *
     * @return their number
     */
    long openConnections();

    /**
     * Stream connections accepted since start (refused ones included once they had a pipeline).
     *
     * @return their number
     */
    long acceptedConnections();

    /**
     * Bytes the service read on stream connections that have closed.
     *
     * @return bytes
     */
    long bytesReadByClosedConnections();

    /**
     * Connections refused for any reason.
     *
     * @return their number
     */
    long refusedConnections();

    /**
     * Connections refused for this reason.
     *
     * @param why the reason
     * @return their number
     */
    long refusedConnections(Refusal why);

    /**
     * Connections the server closed for this reason.
     *
     * @param why the reason
     * @return their number
     */
    long timedOutConnections(Timeout why);

    /**
     * Reply bytes waiting to be sent, on all stream connections together (what Netty's outbound buffers hold,
     * per-message overhead included). Walks every connection: for a gauge, not a hot path.
     *
     * @return bytes
     */
    long pendingReplyBytes();

    /**
     * The most reply bytes waiting on any one connection now; see {@link #pendingReplyBytes()}.
     *
     * @return bytes
     */
    long largestPendingReplyBytes();

    /**
     * Datagrams received on every UDP listener.
     *
     * @return their number
     */
    long datagramsReceived();

    /**
     * Datagrams that got no reply, for any reason (loop guard, too large, rate limit).
     *
     * @return their number
     */
    long datagramsDropped();

    /**
     * Datagrams larger than {@code --max-datagram}: dropped, never answered truncated.
     *
     * @return their number
     */
    long datagramsTooLarge();

    /**
     * Datagrams over their source's rate.
     *
     * @return their number
     */
    long datagramsRateLimited();
}
