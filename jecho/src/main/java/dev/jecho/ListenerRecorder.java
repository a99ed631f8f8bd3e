package dev.jecho;

/**
 * What one listener tells its metrics. The server resolves one recorder per listener when the listener
 * opens and calls it from the event loops, so an implementation must be thread-safe, fast, allocation-free
 * on the per-message methods, and must never throw. {@link #NONE} does nothing and costs nothing.
 *
 * <p>Reasons ({@code refused}, {@code failed}, {@code dropped}) are short machine-friendly words such as
 * {@code untrusted_proxy}, {@code bad_proof} or {@code too_large}; they become label values.
 */
public interface ListenerRecorder {

    /** Records nothing. */
    ListenerRecorder NONE = new ListenerRecorder() {
    };

    /** Whether this recorder keeps anything; callers may skip measuring (a clock read, say) when not. */
    default boolean enabled() {
        return false;
    }

    /**
     * The listener is bound: {@code listener} is its address as bound (the port the system chose for port 0),
     * where {@link MetricsRecorder#listener} had the one configured. Called once, before any traffic.
     */
    default void bound(String listener) {
    }

    /** A stream connection was accepted (TCP or Unix socket). */
    default void connectionAccepted() {
    }

    /** A stream connection accepted earlier has closed, for whatever reason. */
    default void connectionClosed() {
    }

    /** The server refused a connection it had accepted and is closing it (limits, untrusted proxy, bad header). */
    default void connectionRefused(String reason) {
    }

    /** A stream connection delivered one message (one read) of {@code bytes} bytes to the service. */
    default void messageReceived(int bytes) {
    }

    /** The service wrote one message of {@code bytes} bytes to a stream connection. */
    default void messageSent(int bytes) {
    }

    /** How often the server times a read batch for {@link #processed}: one batch in this many, per connection. */
    int PROCESSED_SAMPLE = 8;

    /**
     * The server took {@code nanos} from reading a batch of messages to handing every reply to the socket
     * (measured for one batch in {@link #PROCESSED_SAMPLE}, and only when {@link #enabled}).
     */
    default void processed(long nanos) {
    }

    /** A client completed the authentication handshake. */
    default void handshakeSucceeded() {
    }

    /** A client failed the authentication handshake. */
    default void handshakeFailed(String reason) {
    }

    /** A datagram of {@code bytes} bytes arrived. */
    default void datagramReceived(int bytes) {
    }

    /** A reply datagram of {@code bytes} bytes was sent. */
    default void datagramSent(int bytes) {
    }

    /** A datagram got no reply. */
    default void datagramDropped(String reason) {
    }
}
