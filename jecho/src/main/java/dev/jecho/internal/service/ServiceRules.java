package dev.jecho.internal.service;

import dev.jecho.Endpoint;
import dev.jecho.Service;

import java.util.List;

/** Where a service may run: the checks a server configuration makes of its service. */
public final class ServiceRules {

    private ServiceRules() {
    }

    /**
     * @throws IllegalArgumentException for a service on UDP that may not run there (chargen: CVE-1999-0103),
     *                                  or with JSON messages when it has nothing to answer them with
     */
    public static void checkServer(Service service, List<Endpoint> listeners, boolean json) {
        if (!service.datagrams()) {
            for (Endpoint e : listeners) {
                if (e.kind() == Endpoint.Kind.UDP) {
                    throw new IllegalArgumentException("service " + service.name() + " does not run on UDP (" + e
                            + "): a spoofed datagram would make it send to a victim who asked for nothing, the textbook"
                            + " amplifier (CVE-1999-0103); listen on TCP or a Unix socket");
                }
            }
        }
        if (json && (!service.replies() || service.output() != null)) {
            throw new IllegalArgumentException("service " + service.name() + " does not answer JSON messages"
                    + " (it " + (service.output() != null ? "sends without being asked" : "answers nothing") + "): leave out --json"
                    + " (and --legacy-auth, which speaks JSON)");
        }
    }
}
