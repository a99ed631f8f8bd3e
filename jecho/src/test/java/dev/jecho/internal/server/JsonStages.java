package dev.jecho.internal.server;

import dev.jecho.Service;
import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.LineBasedFrameDecoder;

/**
 * The server's JSON Lines stages, framer and service, as {@link StreamChannelInitializer} installs them: for
 * the JMH benchmarks in {@code dev.jecho.jmh}, which cannot reach the package-private service handler.
 */
public final class JsonStages {

    private JsonStages() {
    }

    /** A new framer and the service handler, in pipeline order. */
    public static ChannelHandler[] jsonLines(Service service, int maxLine) {
        return new ChannelHandler[] {
                new LineBasedFrameDecoder(maxLine, true, true),
                new JsonServiceHandler(service, true, maxLine),
        };
    }
}
