package dev.jecho.internal.client;

import dev.jecho.ClientException;
import dev.jecho.internal.transport.PeerReset;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

import java.io.IOException;
import java.util.Locale;

/**
 * Why a client connection failed. The first reason is kept on its channel: what ends a connection often
 * comes with more (a server that closes after a protocol mismatch resets the connection too), and a
 * message sent afterwards fails with the same line instead of a bare "closed".
 */
final class ConnectionFailure {

    private static final AttributeKey<ClientException> FIRST = AttributeKey.valueOf(ConnectionFailure.class, "first");

    private ConnectionFailure() {
    }

    /** Records {@code failure} unless a failure was recorded before; returns the one that stands. */
    static ClientException record(Channel channel, ClientException failure) {
        ClientException first = channel.attr(FIRST).setIfAbsent(failure);
        return first != null ? first : failure;
    }

    /** The failure recorded for this connection, or null. */
    static ClientException of(Channel channel) {
        return channel.attr(FIRST).get();
    }

    /** What an exception that reached the end of a client's pipeline means, as one line. */
    static ClientException describe(Throwable cause, String peer, ServerOpening opening) {
        if (cause instanceof ClientException ce) {
            return ce;
        }
        if (PeerReset.is(cause)) {
            return opening.reset();
        }
        String message = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        if (cause instanceof IOException && message.toLowerCase(Locale.ROOT).contains("broken pipe")) {
            return opening.closed(); // the server closed first: our bytes met a socket it no longer reads
        }
        return new ClientException(ClientException.Reason.IO, "connection to " + peer + " failed: " + message, cause);
    }
}
