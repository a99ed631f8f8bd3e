package dev.jecho.server;

import dev.jecho.protocol.PipelineNames;
import dev.jecho.protocol.handshake.LegacyServerHandshake;
import dev.jecho.protocol.handshake.ServerHandshakeHandler;
import dev.jecho.protocol.json.JsonValueFramer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LineBasedFrameDecoder;

/** Builds the pipeline of each accepted TCP or Unix-socket connection; see {@link PipelineNames}. */
final class StreamChannelInitializer extends ChannelInitializer<Channel> {

    private final String listener;
    private final ServerConfig config;
    private final ConnectionLog log;
    private final ServerStats stats;
    private final OpenConnections open;
    private final ChannelHandler service;
    private final long handshakeTimeoutNanos;

    StreamChannelInitializer(String listener, ServerConfig config, ConnectionLog log, ServerStats stats,
                             OpenConnections open) {
        this.listener = listener;
        this.config = config;
        this.log = log;
        this.stats = stats;
        this.open = open;
        this.service = config.json()
                ? new JsonServiceHandler(config.service(), config.legacyAuth() == null, config.maxLine())
                : new ByteServiceHandler(config.service());
        this.handshakeTimeoutNanos = config.handshakeTimeout().toNanos();
    }

    @Override
    protected void initChannel(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        if (config.tls() != null) {
            p.addLast(PipelineNames.SSL, config.tls().context().newHandler(ch.alloc()));
        }
        p.addLast(PipelineNames.TRACKER, new ConnectionTracker(log, listener, stats, open, true));
        p.addLast(PipelineNames.BACKPRESSURE, BackpressureHandler.INSTANCE);
        if (config.authenticates()) {
            p.addLast(PipelineNames.HANDSHAKE, config.legacyAuth() != null
                    ? new LegacyServerHandshake(config.keys(), config.legacyAuth(), handshakeTimeoutNanos)
                    : new ServerHandshakeHandler(config.keys(), handshakeTimeoutNanos));
        }
        if (config.json()) {
            p.addLast(PipelineNames.JSON_FRAMER, config.legacyAuth() != null
                    ? new JsonValueFramer(config.maxLine())
                    : new LineBasedFrameDecoder(config.maxLine(), true, true));
        }
        p.addLast(PipelineNames.SERVICE, service);
        p.addLast(PipelineNames.HALF_CLOSE, HalfCloseHandler.INSTANCE);
        p.addLast(PipelineNames.ERRORS, ErrorHandler.INSTANCE);
    }
}
