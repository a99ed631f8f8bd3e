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
 */
public record StreamPipeline(Service service, Authentication authentication, JsonMessages json, ServerTls tls,
                             Duration handshakeTimeout, SourceLimits limits, PartialMessageBudget partialMessages) {

    public StreamPipeline {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(authentication, "authentication");
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
    }
}
