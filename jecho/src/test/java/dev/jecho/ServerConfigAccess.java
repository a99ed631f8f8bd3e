package dev.jecho;

import dev.jecho.internal.protocol.json.PartialMessageBudget;
import dev.jecho.internal.server.ConnectionLimits;
import dev.jecho.internal.server.ProxyProtocol;
import dev.jecho.internal.server.SourceLimits;
import dev.jecho.internal.server.StreamPipeline;
import dev.jecho.internal.server.Timeouts;

/**
 * For tests of the server's parts: the group of settings each part is given, from a configuration built with the
 * documented builder, as {@link JechoServer} hands them out (package-private on {@link ServerConfig}).
 */
public final class ServerConfigAccess {

    private ServerConfigAccess() {
    }

    public static ConnectionLimits limits(ServerConfig config) {
        return config.limits();
    }

    public static Timeouts timeouts(ServerConfig config) {
        return config.timeouts();
    }

    public static ProxyProtocol proxy(ServerConfig config) {
        return config.proxy();
    }

    public static StreamPipeline streamPipeline(ServerConfig config, SourceLimits limits, PartialMessageBudget partialMessages) {
        return config.streamPipeline(limits, partialMessages, new dev.jecho.internal.server.FaultSet(0, config.faults()));
    }
}
