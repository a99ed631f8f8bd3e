package dev.jecho.internal.server;

import dev.jecho.Endpoint;
import dev.jecho.ListenerException;
import dev.jecho.internal.keys.SharedKey;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Protected mode, as Redis has it: with no authentication, only loopback addresses may be bound unless the
 * operator says otherwise. An echo server open to a network is a free reflector and load target. A key shorter
 * than {@link SharedKey#MIN_LENGTH} bytes (only {@code --legacy-auth} accepts one, for the article's public salt)
 * counts as no authentication. Decided before anything is bound.
 */
public final class ProtectedMode {

    private ProtectedMode() {
    }

    /**
     * @param allowInsecure protected mode is off
     * @throws ListenerException naming the first listener that protected mode forbids
     */
    public static void check(List<Endpoint> listeners, Authentication authentication, boolean allowInsecure)
            throws ListenerException {
        if (allowInsecure) {
            return;
        }
        String unprotected;
        if (!authentication.enabled()) {
            unprotected = "no secret is configured";
        } else if (authentication.keys().shortestKeyLength() < SharedKey.MIN_LENGTH) {
            // The article's salt (13 bytes) is printed in the article itself: a key anyone may know keeps no one out.
            unprotected = "the key is " + authentication.keys().shortestKeyLength() + " bytes, too short to protect anything";
        } else {
            return;
        }
        String remedy = authentication.enabled() ? "use a key of at least " + SharedKey.MIN_LENGTH + " bytes" : "configure a secret";
        for (Endpoint endpoint : listeners) {
            if (endpoint.kind() == Endpoint.Kind.UNIX) {
                continue; // a socket file of mode 0600: only its owner can connect
            }
            InetAddress address;
            try {
                address = InetAddress.getByName(endpoint.host());
            } catch (UnknownHostException e) {
                continue; // opening the listener reports it
            }
            if (!address.isLoopbackAddress()) {
                throw new ListenerException(endpoint, "protected mode: " + unprotected + ", so anyone who can reach "
                        + endpoint.address() + " could use this server (listen on 127.0.0.1 or [::1], " + remedy
                        + ", or pass --allow-insecure)", null);
            }
        }
    }
}
