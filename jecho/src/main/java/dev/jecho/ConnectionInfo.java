package dev.jecho;

import dev.jecho.internal.transport.TcpInfo;

/**
 * One open stream connection as {@code /connections} lists it.
 *
 * @param id           Netty's short channel id
 * @param listener     the listener that accepted it, e.g. {@code tcp://0.0.0.0:8888}
 * @param peer         the real client: behind a load balancer, the address its PROXY header named
 * @param socketPeer   the socket's remote address (the load balancer, when there is one)
 * @param ageMillis    how long it has been open
 * @param keyId        the key it authenticated with, or null when it did not (or authentication is off)
 * @param tcp          the kernel's view (native transports only), or null
 */
public record ConnectionInfo(String id, String listener, String peer, String socketPeer, long ageMillis,
                             long messagesIn, long bytesIn, long messagesOut, long bytesOut,
                             String keyId, TcpInfo tcp) {

    public boolean authenticated() {
        return keyId != null;
    }
}
