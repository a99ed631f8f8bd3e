package dev.jecho.protocol;

/**
 * Names of the handlers in jecho's pipelines, in the order they sit (head first). A stream connection
 * on the server reads like the protocol:
 *
 * <pre>
 *   socket
 *     |
 *   [tracker]        ConnectionTracker: counts, connect/close log line, close reason
 *   [backpressure]   stops reading while unsent replies are above the write high-water mark
 *   [service]        the service (upper / echo) writes each message back; flushes once per read batch
 *   [half-close]     the peer shut its output: flush every reply, then close
 *   [errors]         the last word on exceptions: log once, close
 * </pre>
 *
 * A datagram listener has a single {@link #DATAGRAM_SERVICE} handler.
 */
public final class PipelineNames {

    public static final String TRACKER = "tracker";
    public static final String BACKPRESSURE = "backpressure";
    public static final String SERVICE = "service";
    public static final String HALF_CLOSE = "half-close";
    public static final String ERRORS = "errors";
    public static final String DATAGRAM_SERVICE = "datagram-service";

    /** Client side: matches replies to requests. */
    public static final String REPLIES = "replies";

    /**
     * {@code jecho bench}: the one handler of a load connection (sends requests, checks and times replies),
     * behind whatever its session setup adds in front (TLS, the handshake).
     */
    public static final String BENCH = "bench";

    private PipelineNames() {
    }
}
