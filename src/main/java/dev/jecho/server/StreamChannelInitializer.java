package dev.jecho.server;

import dev.jecho.protocol.PipelineNames;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;

/** Builds the pipeline of each accepted TCP or Unix-socket connection; see {@link PipelineNames}. */
final class StreamChannelInitializer extends ChannelInitializer<Channel> {

    private final String listener;
    private final ConnectionLog log;
    private final ServerStats stats;
    private final OpenConnections open;
    private final ByteServiceHandler service;
    private final SourceLimits limits;
    private final boolean preAuthPhase;

    /**
     * @param limits the server's per-source limits, or null when it keeps none (no admission stage)
     */
    StreamChannelInitializer(String listener, ServerConfig config, ConnectionLog log, ServerStats stats,
                             OpenConnections open, SourceLimits limits) {
        this.listener = listener;
        this.log = log;
        this.stats = stats;
        this.open = open;
        this.service = new ByteServiceHandler(config.service());
        this.limits = limits;
        this.preAuthPhase = config.authenticates();
    }

    @Override
    protected void initChannel(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        if (limits != null) {
            p.addLast(PipelineNames.ADMISSION, new AdmissionHandler(limits, stats, preAuthPhase));
        }
        p.addLast(PipelineNames.TRACKER, new ConnectionTracker(log, listener, stats, open, true));
        p.addLast(PipelineNames.BACKPRESSURE, BackpressureHandler.INSTANCE);
        p.addLast(PipelineNames.SERVICE, service);
        p.addLast(PipelineNames.HALF_CLOSE, HalfCloseHandler.INSTANCE);
        p.addLast(PipelineNames.ERRORS, ErrorHandler.INSTANCE);
    }
}
