package dev.jecho.internal.protocol;

/**
 * Names of the handlers in jecho's pipelines, in the order they sit (head first). A stream connection
 * on the server reads like the protocol; the stages in brackets with a condition exist only in that mode:
 *
 * <pre>
 *   listener (server channel)
 *   [accept limit]   --max-connections: a socket past the cap is closed before it gets a pipeline
 *     |
 *   socket
 *     |
 *   [drain]          only while the server stops: stop reading, send every reply, end the stream
 *   [faults]         only on a connection that meets a fault (--fault, live): latency, bandwidth, slice, stall,
 *                    close-after, reset-after, slow-close, refuse, corrupt, on the bytes as the socket carries them
 *   [proxy-decoder]  --proxy-protocol only: Netty's HAProxyMessageDecoder reads the PROXY v1/v2 header;
 *                    it comes before anything else (TLS included): the load balancer sends it first
 *   [proxy-header]   --proxy-protocol only: trusted source? header in time? sets the real client address,
 *                    fires PeerKnown, removes itself (the decoder removes itself too)
 *   [admission]      only with per-source limits (a secret, TLS or a per-source cap): admits or refuses the
 *                    client once its address is known (PeerKnown), follows it through the TLS and jecho
 *                    handshakes (penalties), gives its slot back at close
 *   [tls-check]      --tls: a first byte that cannot start a ClientHello closes the connection at once
 *                    ("not TLS"); removes itself after the first byte
 *   [ssl]            --tls: SslHandler, TLS 1.2+, encrypts and decrypts everything
 *   [tracker]        ConnectionTracker: counts each way, metrics, connect/close log line, close reason,
 *                    timeout bookkeeping
 *   [backpressure]   stops reading while unsent replies are above the write high-water mark
 *   [handshake]      a secret is set: the jecho handshake (or --legacy-auth: the article's); greets only an
 *                    admitted client (behind a PROXY header: once the header is read), removes itself when
 *                    done and passes on the bytes it still held
 *   [record-framer]  after the jecho handshake: cuts the stream into records (length, payload, tag)
 *   [records]        checks each record's tag and sequence, seals every reply into records
 *   [json-framer]    --json: one JSON value per line (legacy: JSON values back to back)
 *   [line-framer]    a line service on a raw stream (no key, no --json): one line per message
 *   [service]        the service: bytes transformed in place (upper, echo), a reply per message (a line,
 *                    a record, a chunk), nothing (discard), or --json: parse, apply to string values,
 *                    re-serialize compactly, error objects; flushes once per read batch
 *   [output]         a service's output nobody asked for (chargen): written while the socket takes it
 *   [end]            how the connection ends: the peer shut its output (flush every reply, then close),
 *                    or an exception got this far (log once, close)
 * </pre>
 *
 * A connection with nothing between the tracker and a service that transforms bytes in place (upper, echo: no
 * handshake, no framing, no output) has {@code [connection]} instead of {@code [tracker] [backpressure]
 * [service] [end]}: one handler doing the four jobs, with the four handlers' code (a context less per job,
 * for as long as the connection lives).
 *
 * The idle and slow-client timeouts have no stage: one sweep per event loop reads the tracker. The
 * handshake deadline is the handshake stage's own timer, absolute from accept, on the connection's loop. A datagram listener has a single
 * {@link #DATAGRAM_SERVICE} handler, and {@link #FAULTS} in front of it while the server has datagram
 * faults. A client's stream pipeline is
 * {@code [opening] [ssl] [handshake] [record-framer] [records] [json-framer] [replies]}, in the same roles
 * ({@code opening} keeps the server's first bytes, to say what it is when it does not answer as asked); a
 * {@code jecho bench} connection's is {@code [ssl] [handshake] [record-framer] [records] bench}, the first
 * stages the client's own, and the bench handler reading raw bytes or JSON lines itself.
 */
public final class PipelineNames {

    public static final String DRAIN = "drain";
    public static final String FAULTS = "faults";
    public static final String PROXY_DECODER = "proxy-decoder";
    public static final String PROXY_HEADER = "proxy-header";
    public static final String ADMISSION = "admission";
    public static final String TLS_CHECK = "tls-check";
    public static final String SSL = "ssl";
    public static final String TRACKER = "tracker";
    /** The tracker, backpressure, an in-place service and the end in one handler (see the pipeline above). */
    public static final String CONNECTION = "connection";
    public static final String BACKPRESSURE = "backpressure";
    public static final String HANDSHAKE = "handshake";
    public static final String RECORD_FRAMER = "record-framer";
    public static final String RECORDS = "records";
    public static final String JSON_FRAMER = "json-framer";
    public static final String LINE_FRAMER = "line-framer";
    public static final String SERVICE = "service";
    public static final String OUTPUT = "output";
    public static final String END = "end";
    public static final String DATAGRAM_SERVICE = "datagram-service";

    /** Client side, first: keeps the server's first bytes to name what it is when it does not answer as asked. */
    public static final String OPENING = "opening";

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
