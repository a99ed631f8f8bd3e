package dev.jecho.internal.protocol;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * The client address of a connection as jecho sees it: the socket's remote address, unless a PROXY
 * protocol header from a trusted load balancer named the real client. Logs, limits and metrics all ask here.
 */
public final class PeerAddress {

    private static final AttributeKey<SocketAddress> REAL_PEER = AttributeKey.valueOf("jecho.realPeer");

    private PeerAddress() {
    }

    public static SocketAddress of(Channel channel) {
        if (channel.hasAttr(REAL_PEER)) {
            SocketAddress real = channel.attr(REAL_PEER).get();
            if (real != null) {
                return real;
            }
        }
        return channel.remoteAddress();
    }

    /** Records the real client behind a proxy; call before firing {@link ConnectionEvents.PeerKnown}. */
    public static void set(Channel channel, SocketAddress realPeer) {
        channel.attr(REAL_PEER).set(realPeer);
    }

    /** {@code 127.0.0.1:51234}, {@code [::1]:51234}, or for a Unix-socket peer the connection's id. */
    public static String describe(Channel channel) {
        return describe(of(channel), channel);
    }

    /** {@link #describe(Channel)} for a given address of the channel (its socket's remote address, say). */
    public static String describe(SocketAddress address, Channel channel) {
        if (address instanceof InetSocketAddress inet) {
            String host = inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        return "#" + channel.id().asShortText();
    }
}
