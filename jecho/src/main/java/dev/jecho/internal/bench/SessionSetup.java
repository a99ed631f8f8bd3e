package dev.jecho.internal.bench;

import dev.jecho.internal.keys.Keys;
import dev.jecho.BenchConfig;
import dev.jecho.internal.client.SessionStages;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.util.concurrent.Future;

/**
 * What a new stream connection needs before it carries messages. Raw TCP and Unix sockets need nothing.
 * TLS and the handshakes are the client's own {@link SessionStages}: {@link #configure} adds an
 * {@code SslHandler} first, then jecho's handshake handler (which installs the session records and removes
 * itself) or the article's; {@link #ready} completes when both are done, or fails with the client's one-line
 * reason (a connect error). In {@code connect} mode the setup is part of every measured request, as it
 * would be for a real client.
 */
interface SessionSetup {

    /** Raw bytes straight away. */
    SessionSetup RAW = new SessionSetup() {
        @Override
        public void configure(ChannelPipeline pipeline) {
        }

        @Override
        public Future<?> ready(Channel channel) {
            return channel.eventLoop().newSucceededFuture(null);
        }
    };

    /** The setup a workload needs: none, or TLS and the handshake within the connect timeout. */
    static SessionSetup of(BenchConfig config) {
        if (!config.hasSessionSetup()) {
            return RAW;
        }
        SessionStages stages = new SessionStages(config.endpoint(), config.tls(), Keys.primaryOf(config.keys()), config.legacyAuth(),
                config.connectTimeout());
        return new SessionSetup() {
            @Override
            public void configure(ChannelPipeline pipeline) {
                stages.configure(pipeline);
            }

            @Override
            public Future<?> ready(Channel channel) {
                return stages.ready(channel);
            }
        };
    }

    /** Adds this session's stages to a new connection's pipeline, ahead of the bench handler. */
    void configure(ChannelPipeline pipeline);

    /**
     * Called once the connection is active; the future completes when messages may flow, or fails (counted
     * as a connect error).
     */
    Future<?> ready(Channel channel);
}
