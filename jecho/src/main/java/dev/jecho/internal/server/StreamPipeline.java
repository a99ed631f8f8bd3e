package dev.jecho.internal.server;

import dev.jecho.ServerTls;
import dev.jecho.Service;
import dev.jecho.internal.protocol.json.PartialMessageBudget;

import java.time.Duration;
import java.util.Objects;

/**
 * What the pipeline of every stream connection of a server is made of ({@link StreamChannelInitializer}): the
 * service, the handshake and its deadline, JSON mode, TLS, and the server-wide state its stages share.
 *
 * @param tls              TLS on every stream listener, or null
 * @param limits           the server's per-source limits, or null when it keeps none (no admission stage)
 * @param partialMessages  in JSON mode, the budget for unfinished messages of all connections together; else null
 * @param faults           the faults the server injects, live: a connection that meets one gets a stage for them
 */
public record StreamPipeline(Service service, Authentication authentication, JsonMessages json, ServerTls tls,
                             Duration handshakeTimeout, SourceLimits limits, PartialMessageBudget partialMessages,
                             FaultSet faults) {

    public StreamPipeline {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(authentication, "authentication");
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        Objects.requireNonNull(faults, "faults");
    }
}
