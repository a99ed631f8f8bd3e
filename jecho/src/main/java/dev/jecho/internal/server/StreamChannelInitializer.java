package dev.jecho.internal.server;

import dev.jecho.ServerConfig;
import dev.jecho.internal.protocol.PipelineNames;
import dev.jecho.internal.protocol.handshake.LegacyServerHandshake;
import dev.jecho.internal.protocol.handshake.ServerHandshakeHandler;
import dev.jecho.internal.protocol.json.JsonLineFramer;
import dev.jecho.internal.protocol.json.JsonValueFramer;
import dev.jecho.internal.protocol.json.PartialMessageBudget;
import dev.jecho.internal.tls.TlsContexts;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;

/** Builds the pipeline of each accepted TCP or Unix-socket connection; see {@link PipelineNames}. */
public final class StreamChannelInitializer extends ChannelInitializer<Channel> {

    private final StreamListener listener;
    private final ServerConfig config;
    private final ChannelHandler service;
    private final TrustedProxies proxies;
    private final long proxyHeaderTimeoutNanos;
    private final SourceLimits limits;
    private final long handshakeTimeoutNanos;
    private final PartialMessageBudget partialMessages;

    /**
     * @param proxies         the trusted proxies on a {@code --proxy-protocol} listener, null on any other
     * @param limits          the server's per-source limits, or null when it keeps none (no admission stage)
     * @param partialMessages in JSON mode, the server's budget for unfinished messages, all connections together
     */
    public StreamChannelInitializer(StreamListener listener, ServerConfig config, TrustedProxies proxies, SourceLimits limits,
                             PartialMessageBudget partialMessages) {
        this.listener = listener;
        this.config = config;
        this.service = config.json()
                ? new JsonServiceHandler(config.service(), config.legacyAuth() == null, config.maxLine())
                : new ByteServiceHandler(config.service());
        this.proxies = proxies;
        this.proxyHeaderTimeoutNanos = config.proxyHeaderTimeout().toNanos();
        this.limits = limits;
        this.handshakeTimeoutNanos = config.handshakeTimeout().toNanos();
        this.partialMessages = partialMessages;
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
            p.addLast(PipelineNames.ADMISSION, new AdmissionHandler(limits, listener.stats(), config.authenticates()));
        }
        if (config.tls() != null) {
            p.addLast(PipelineNames.TLS_CHECK, new TlsFirstByteCheck());
            p.addLast(PipelineNames.SSL, TlsContexts.serverHandler(config.tls(), ch.alloc()));
        }
        p.addLast(PipelineNames.TRACKER, new ConnectionTracker(listener));
        p.addLast(PipelineNames.BACKPRESSURE, BackpressureHandler.INSTANCE);
        if (config.authenticates()) {
            p.addLast(PipelineNames.HANDSHAKE, config.legacyAuth() != null
                    ? new LegacyServerHandshake(config.keys(), config.legacyAuth(), handshakeTimeoutNanos)
                    : new ServerHandshakeHandler(config.keys(), handshakeTimeoutNanos));
        }
        if (config.json()) {
            p.addLast(PipelineNames.JSON_FRAMER, config.legacyAuth() != null
                    ? new JsonValueFramer(config.maxLine(), partialMessages)
                    : new JsonLineFramer(config.maxLine(), partialMessages));
        }
        p.addLast(PipelineNames.SERVICE, service);
        p.addLast(PipelineNames.END, ConnectionEndHandler.INSTANCE);
    }
}
