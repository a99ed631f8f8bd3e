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

    /**
     * Whether this recorder keeps anything; callers may skip measuring (a clock read, say) when not.
     *
     * @return false for {@link #NONE}; true for a recorder that records
     */
    default boolean enabled() {
        return false;
    }

    /**
     * The listener is bound: {@code listener} is its address as bound (the port the system chose for port 0),
     * where {@link MetricsRecorder#listener} had the one configured. Called once, before any traffic.
     *
     * @param listener the bound address, e.g. {@code tcp://127.0.0.1:40123}
     */
    default void bound(String listener) {
    }

    /** A stream connection was accepted (TCP or Unix socket). */
    default void connectionAccepted() {
    }

    /** A stream connection accepted earlier has closed, for whatever reason. */
    default void connectionClosed() {
    }

    /**
     * The server refused a connection it had accepted and is closing it (limits, untrusted proxy, bad header).
     *
     * @param reason why, e.g. {@code max_connections}, {@code untrusted_proxy}
     */
    default void connectionRefused(String reason) {
    }

    /**
     * A stream connection delivered one message (one read) to the service.
     *
     * @param bytes its size
     */
    default void messageReceived(int bytes) {
    }

    /**
     * The service wrote one message to a stream connection.
     *
     * @param bytes its size
     */
    default void messageSent(int bytes) {
    }

    /** How often the server times a read batch for {@link #processed}: one batch in this many, per connection. */
    int PROCESSED_SAMPLE = 8;

    /**
     * The server took {@code nanos} from reading a batch of messages to handing every reply to the socket
     * (measured for one batch in {@link #PROCESSED_SAMPLE}, and only when {@link #enabled}).
     *
     * @param nanos the time taken
     */
    default void processed(long nanos) {
    }

    /** A client completed the authentication handshake. */
    default void handshakeSucceeded() {
    }

    /**
     * A client failed the authentication handshake.
     *
     * @param reason why, e.g. {@code bad_proof}, {@code timeout}
     */
    default void handshakeFailed(String reason) {
    }

    /**
     * A datagram arrived.
     *
     * @param bytes its size
     */
    default void datagramReceived(int bytes) {
    }

    /**
     * A reply datagram was sent.
     *
     * @param bytes its size
     */
    default void datagramSent(int bytes) {
    }

    /**
     * A datagram got no reply.
     *
     * @param reason why, e.g. {@code too_large}, {@code rate_limited}
     */
    default void datagramDropped(String reason) {
    }

    /**
     * A fault was injected ({@link Faults}): a stream connection met it (once per connection), or it acted on a
     * datagram (once per datagram).
     *
     * @param fault the fault's type, e.g. {@code latency}
     */
    default void faultMet(String fault) {
    }
}
