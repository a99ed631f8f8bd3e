package dev.jecho;

/**
 * One open stream connection, as {@link JechoServer#connections()} lists it (and {@code /connections} shows it).
 *
 * @param id           Netty's short channel id
 * @param listener     the listener that accepted it, e.g. {@code tcp://0.0.0.0:8888}
 * @param peer         the real client: behind a load balancer, the address its PROXY header named
 * @param socketPeer   the socket's remote address (the load balancer, when there is one)
 * @param ageMillis    how long it has been open
 * @param messagesIn   reads (raw bytes) or messages (JSON, records) received
 * @param bytesIn      bytes received
 * @param messagesOut  replies sent
 * @param bytesOut     bytes sent
 * @param keyId        the key it authenticated with, or null when it did not (or authentication is off)
 * @param tcp          the kernel's view (native transports only), or null
 * @param faults       the faults it meets ({@link Faults}), as specs separated by {@code "; "}, or null for none
 */
public record ConnectionInfo(String id, String listener, String peer, String socketPeer, long ageMillis,
                             long messagesIn, long bytesIn, long messagesOut, long bytesOut,
                             String keyId, Tcp tcp, String faults) {

    /**
     * A connection that meets no fault.
     *
     * @param id          Netty's short channel id
     * @param listener    the listener that accepted it
     * @param peer        the real client
     * @param socketPeer  the socket's remote address
     * @param ageMillis   how long it has been open
     * @param messagesIn  reads or messages received
     * @param bytesIn     bytes received
     * @param messagesOut replies sent
     * @param bytesOut    bytes sent
     * @param keyId       the key it authenticated with, or null
     * @param tcp         the kernel's view, or null
     */
    public ConnectionInfo(String id, String listener, String peer, String socketPeer, long ageMillis,
                          long messagesIn, long bytesIn, long messagesOut, long bytesOut, String keyId, Tcp tcp) {
        this(id, listener, peer, socketPeer, ageMillis, messagesIn, bytesIn, messagesOut, bytesOut, keyId, tcp, null);
    }

    /**
     * Whether the connection completed the handshake.
     *
     * @return true when it authenticated with a key
     */
    public boolean authenticated() {
        return keyId != null;
    }

    /**
     * The kernel's view of one TCP connection ({@code getsockopt(TCP_INFO)}), as {@code ss -ti} shows it.
     * Only the native transports (epoll, io_uring) can ask; NIO cannot.
     *
     * @param state         the TCP state, e.g. {@code ESTABLISHED}, {@code CLOSE_WAIT}
     * @param rttMicros     smoothed round-trip time
     * @param rttVarMicros  its mean deviation
     * @param retransmits   retransmissions of the segment being retransmitted now (timeouts in a row)
     * @param totalRetrans  segments retransmitted over the connection's life
     * @param unacked       segments sent and not yet acknowledged
     * @param sndCwnd       congestion window, in segments
     * @param sndMss        sender's maximum segment size, bytes
     */
    public record Tcp(String state, long rttMicros, long rttVarMicros, int retransmits, long totalRetrans,
                      long unacked, long sndCwnd, long sndMss) {
    }
}
