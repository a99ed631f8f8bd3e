package dev.jecho.internal.client;

import dev.jecho.ClientException;
import dev.jecho.Endpoint;
import dev.jecho.internal.transport.NettyTransport;
import io.netty.channel.ConnectTimeoutException;

import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketAddress;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;

/** Turns connect failures of every transport into one readable sentence. */
final class ConnectErrors {

    private ConnectErrors() {
    }

    static SocketAddress resolve(Endpoint endpoint, NettyTransport transport) throws ClientException {
        SocketAddress address = transport.socketAddress(endpoint);
        if (address instanceof InetSocketAddress inet && inet.isUnresolved()) {
            throw new ClientException(ClientException.Reason.UNREACHABLE,
                    "unknown host '" + endpoint.host() + "' (check the name, or use an IP address)");
        }
        return address;
    }

    /**
     * @param local the local address the client asked to bind, or null: a failure to bind it is told
     *              apart from a failure to connect
     */
    static ClientException describe(Endpoint endpoint, InetAddress local, Throwable cause) {
        String message = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
        if (local != null && (cause instanceof BindException || message.contains("assign requested address")
                || message.contains("address family") || message.contains("invalid argument"))) {
            return new ClientException(ClientException.Reason.UNREACHABLE, "cannot send to " + endpoint + " from "
                    + local.getHostAddress() + ": " + Causes.describe(cause)
                    + " (is it an address of this machine, of the server's address family?)", cause);
        }
        if (cause instanceof ConnectTimeoutException) {
            return new ClientException(ClientException.Reason.UNREACHABLE,
                    "cannot connect to " + endpoint + ": timed out (is the host up? a firewall dropping packets?)", cause);
        }
        if (cause instanceof UnresolvedAddressException) {
            return new ClientException(ClientException.Reason.UNREACHABLE, "unknown host '" + endpoint.host() + "'", cause);
        }
        if (message.contains("refused")) {
            return new ClientException(ClientException.Reason.UNREACHABLE,
                    "connection refused by " + endpoint + " (is the server running?)", cause);
        }
        if (message.contains("no such file")) {
            return new ClientException(ClientException.Reason.UNREACHABLE,
                    "no socket at " + endpoint.path() + " (is the server running?)", cause);
        }
        if (cause instanceof NoRouteToHostException || message.contains("unreachable")) {
            return new ClientException(ClientException.Reason.UNREACHABLE, "cannot reach " + endpoint + ": no route", cause);
        }
        if (cause instanceof ConnectException || message.contains("permission denied")) {
            return new ClientException(ClientException.Reason.UNREACHABLE, "cannot connect to " + endpoint + ": " + Causes.describe(cause), cause);
        }
        return new ClientException(ClientException.Reason.IO, "cannot connect to " + endpoint + ": " + Causes.describe(cause), cause);
    }
}
