package dev.jecho.internal.server;

import dev.jecho.ServerConfig;
import dev.jecho.Service;
import dev.jecho.internal.protocol.PipelineNames;
import dev.jecho.internal.protocol.handshake.LegacyServerHandshake;
import dev.jecho.internal.protocol.handshake.ServerHandshakeHandler;
import dev.jecho.internal.protocol.json.JsonLineFramer;
import dev.jecho.internal.protocol.json.JsonValueFramer;
import dev.jecho.internal.protocol.json.PartialMessageBudget;
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
    /** A line service on a raw stream: each connection gets its own line framer. */
    private final boolean lineFramed;
    private final OutputHandler.Start outputStart;
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
        Service s = config.service();
        this.lineFramed = !config.json() && !config.authenticates() && s.framing() == Service.Framing.LINES;
        this.service = serviceStage(config, lineFramed);
        this.outputStart = s.output() == null ? null
                : config.authenticates() ? OutputHandler.Start.AUTHENTICATED
                : config.tls() != null ? OutputHandler.Start.TLS : OutputHandler.Start.ADMITTED;
        this.proxies = proxies;
        this.proxyHeaderTimeoutNanos = config.proxyHeaderTimeout().toNanos();
        this.limits = limits;
        this.handshakeTimeoutNanos = config.handshakeTimeout().toNanos();
        this.partialMessages = partialMessages;
    }

    /**
     * What answers a message: JSON values; nothing (a service that never replies); the bytes transformed where
     * they lie (a byte service with an in-place transform: upper, echo); or the service's reply to each message
     * (a line, a record, or a chunk of a byte service without one).
     */
    private static ChannelHandler serviceStage(ServerConfig config, boolean lineFramed) {
        Service s = config.service();
        if (config.json()) {
            return new JsonServiceHandler(s, config.legacyAuth() == null, config.maxLine());
        }
        if (!s.replies()) {
            return DiscardHandler.INSTANCE;
        }
        if (s.framing() == Service.Framing.BYTES && s.inPlace() != null) {
            return new ByteServiceHandler(s);
        }
        return new MessageServiceHandler(s, lineFramed, config.maxLine());
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
            p.addLast(PipelineNames.SSL, config.tls().context().newHandler(ch.alloc()));
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
        if (lineFramed) {
            p.addLast(PipelineNames.LINE_FRAMER, new LineFramer(config.maxLine()));
        }
        p.addLast(PipelineNames.SERVICE, service);
        if (outputStart != null) {
            p.addLast(PipelineNames.OUTPUT, new OutputHandler(config.service(), outputStart));
        }
        p.addLast(PipelineNames.END, ConnectionEndHandler.INSTANCE);
    }
}
