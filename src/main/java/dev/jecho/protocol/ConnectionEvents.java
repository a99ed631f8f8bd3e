package dev.jecho.protocol;

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
 *       keyed on the client's address acts on this event, never on {@code channelActive}.</li>
 *   <li>{@link Authenticated} or {@link AuthenticationFailed}: the end of the handshake, where one is
 *       configured. Without authentication a connection is established at {@link PeerKnown}.</li>
 * </ol>
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
}
