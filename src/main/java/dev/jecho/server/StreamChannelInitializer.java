package dev.jecho.server;

import dev.jecho.protocol.PipelineNames;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;

/** Builds the pipeline of each accepted TCP or Unix-socket connection; see {@link PipelineNames}. */
final class StreamChannelInitializer extends ChannelInitializer<Channel> {

    private final StreamListener listener;
    private final ByteServiceHandler service;
    private final TrustedProxies proxies;
    private final long proxyHeaderTimeoutNanos;
    private final SourceLimits limits;
    private final boolean preAuthPhase;

    /**
     * @param proxies the trusted proxies on a {@code --proxy-protocol} listener, null on any other
     * @param limits  the server's per-source limits, or null when it keeps none (no admission stage)
     */
    StreamChannelInitializer(StreamListener listener, ServerConfig config, TrustedProxies proxies, SourceLimits limits) {
        this.listener = listener;
        this.service = new ByteServiceHandler(config.service());
        this.proxies = proxies;
        this.proxyHeaderTimeoutNanos = config.proxyHeaderTimeout().toNanos();
        this.limits = limits;
        this.preAuthPhase = config.authenticates();
    }

    @Override
    protected void initChannel(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        if (proxies != null) {
            // The load balancer's header comes before anything the client sent (a TLS ClientHello included).
            p.addLast(PipelineNames.PROXY_DECODER, new HAProxyMessageDecoder());
            p.addLast(PipelineNames.PROXY_HEADER, new ProxyHeaderHandler(proxies, proxyHeaderTimeoutNanos));
        }
        if (limits != null) {
            // Keyed on the real client address, so after the PROXY header; before everything that serves.
            p.addLast(PipelineNames.ADMISSION, new AdmissionHandler(limits, listener.stats(), preAuthPhase));
        }
        p.addLast(PipelineNames.TRACKER, new ConnectionTracker(listener));
        p.addLast(PipelineNames.BACKPRESSURE, BackpressureHandler.INSTANCE);
        p.addLast(PipelineNames.SERVICE, service);
        p.addLast(PipelineNames.HALF_CLOSE, HalfCloseHandler.INSTANCE);
        p.addLast(PipelineNames.ERRORS, ErrorHandler.INSTANCE);
    }
}
