package dev.jecho.internal.protocol;

import java.net.SocketAddress;

/**
 * User events that travel a server pipeline ({@code fireUserEventTriggered}) as a stream connection moves
 * through its life. Handlers that care about a stage (limits, penalties, logs, metrics) listen for these
 * events instead of knowing which handler produced them. Fire them from the head,
 * {@code ctx.pipeline().fireUserEventTriggered(event)}, never {@code ctx.fireUserEventTriggered}: the
 * admission stage that keeps the per-source limits sits before the handshake and must see them.
 *
 * <ol>
 *   <li>{@link PeerKnown}: the client's address is known. For a direct connection it is fired as the
 *       connection becomes active; behind a load balancer, once the PROXY protocol header is read. Anything
 *       keyed on the client's address acts on this event, never on {@code channelActive}. The admission stage
 *       does not pass it on for a connection it refuses, so the stages behind it (the handshake's greeting)
 *       never act on a refused client.</li>
 *   <li>{@link Authenticated} or {@link AuthenticationFailed}: the end of the handshake, where one is
 *       configured. Without authentication a connection is established at {@link PeerKnown}.</li>
 * </ol>
 *
 * When the server stops, {@link Draining} tells the stages that the connection is being drained.
 * At any stage the server may {@link Refused refuse} a connection (a limit, an untrusted proxy, a bad
 * PROXY header): whoever decides fires {@link Refused} and closes it, and the tracker counts it by reason.
 */
public final class ConnectionEvents {

    private ConnectionEvents() {
    }

    /** The real client address of this connection (see {@link PeerAddress}). */
    public record PeerKnown(SocketAddress address) {
    }

    /** The client proved it holds a key; {@code keyId} names which (empty when the key file has no ids). */
    public record Authenticated(String keyId) {
    }

    /**
     * The handshake failed. {@code reason} is for the server's log and metrics only, never for the peer:
     * a short machine-friendly word such as {@code bad_proof}, {@code timeout}, {@code bad_magic}.
     */
    public record AuthenticationFailed(String reason) {
    }

    /**
     * The server refuses this connection and is closing it. {@code reason} is a short machine-friendly word
     * for metrics ({@code untrusted_proxy}, {@code proxy_header_timeout}, {@code startups_per_ip}); {@code detail}
     * is the sentence for the log line, naming the limit and the address. Fire it from the pipeline's head
     * ({@code channel.pipeline().fireUserEventTriggered}) or from a handler before the tracker, so that the
     * tracker sees it.
     */
    public record Refused(String reason, String detail) {

        /** A refusal whose log line is its reason word. */
        public Refused(String reason) {
            this(reason, reason);
        }
    }

    /**
     * The server stops, and this connection gets its last replies: a stage that writes on its own (a service's
     * output) stops writing, so the drain can end the stream. Fired once, from the drain stage at the head.
     */
    public record Draining() {
        public static final Draining INSTANCE = new Draining();
    }
}
