package dev.jecho.bench;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.util.concurrent.Future;

/**
 * What a new stream connection needs before it carries messages. Raw TCP and Unix sockets need nothing.
 * TLS plugs in here ({@link #configure} adds an {@code SslHandler} first; {@link #ready} is its handshake
 * future), and so does jecho's authenticated handshake ({@link #configure} adds the client handshake handler;
 * {@link #ready} completes when it has removed itself). In {@code connect} mode the setup is part of
 * every measured request, as it would be for a real client.
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

    /** Adds this session's stages to a new connection's pipeline, ahead of the bench handler. */
    void configure(ChannelPipeline pipeline);

    /**
     * Called once the connection is active; the future completes when messages may flow, or fails (counted
     * as a connect error).
     */
    Future<?> ready(Channel channel);
}
