package dev.jecho.internal.server;

import dev.jecho.Service;
import dev.jecho.internal.protocol.PipelineNames;
import dev.jecho.internal.protocol.handshake.LegacyServerHandshake;
import dev.jecho.internal.protocol.handshake.ServerHandshakeHandler;
import dev.jecho.internal.protocol.json.JsonLineFramer;
import dev.jecho.internal.protocol.json.JsonValueFramer;
import dev.jecho.internal.tls.TlsContexts;
import dev.jecho.internal.transport.NettyTransport;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;

/** Builds the pipeline of each accepted TCP or Unix-socket connection; see {@link PipelineNames}. */
final class StreamChannelInitializer extends ChannelInitializer<Channel> {

    private final StreamListener listener;
    private final StreamPipeline pipeline;
    private final ProxyProtocol proxy;
    private final ChannelHandler service;
    /** A line service on a raw stream: each connection gets its own line framer. */
    private final boolean lineFramed;
    /** Where a service that speaks unasked starts: null for one that only answers. */
    private final OutputHandler.Start outputStart;
    private final long handshakeTimeoutNanos;
    /** Nothing behind the tracker but a service that transforms bytes in place: one handler does it all. */
    private final boolean inPlaceOnly;

    /**
     * @param proxy the PROXY protocol on a {@code --proxy-protocol} TCP listener, null on any other
     */
    StreamChannelInitializer(StreamListener listener, StreamPipeline pipeline, ProxyProtocol proxy) {
        this.listener = listener;
        this.pipeline = pipeline;
        this.proxy = proxy;
        Service s = pipeline.service();
        boolean authenticates = pipeline.authentication().enabled();
        this.lineFramed = !pipeline.json().enabled() && !authenticates && s.framing() == Service.Framing.LINES;
        this.service = serviceStage(pipeline, lineFramed);
        this.outputStart = s.output() == null ? null
                : authenticates ? OutputHandler.Start.AUTHENTICATED
                : pipeline.tls() != null ? OutputHandler.Start.TLS : OutputHandler.Start.ADMITTED;
        this.handshakeTimeoutNanos = pipeline.handshakeTimeout().toNanos();
        // serviceStage gives a ByteServiceHandler only to an in-place byte service without JSON (so unframed)
        this.inPlaceOnly = service instanceof ByteServiceHandler && !authenticates && outputStart == null;
    }

    /**
     * What answers a message: JSON values; nothing (a service that never replies); the bytes transformed where
     * they lie (a byte service with an in-place transform: upper, echo); or the service's reply to each message
     * (a line, a record, or a chunk of a byte service without one).
     */
    private static ChannelHandler serviceStage(StreamPipeline pipeline, boolean lineFramed) {
        Service s = pipeline.service();
        int maxLine = pipeline.json().maxLine();
        if (pipeline.json().enabled()) {
            return new JsonServiceHandler(s, pipeline.authentication().legacy() == null, maxLine);
        }
        if (!s.replies()) {
            return DiscardHandler.INSTANCE;
        }
        if (s.framing() == Service.Framing.BYTES && s.inPlace() != null) {
            return new ByteServiceHandler(s);
        }
        return new MessageServiceHandler(s, lineFramed, maxLine);
    }

    @Override
    protected void initChannel(Channel ch) {
        NettyTransport.closeAtOnce(ch);
        ChannelPipeline p = ch.pipeline();
        Authentication authentication = pipeline.authentication();
        FaultSet.Connection faults = pipeline.faults().nextConnection();
        if (faults != null) {
            // First: faults act on the bytes as the socket carries them, as a proxy in between would.
            p.addLast(PipelineNames.FAULTS, new StreamFaultHandler(faults.met(), faults.random()));
            StreamFaultHandler.describe(ch, faults.met());
            faults.met().forEach(f -> listener.recorder().faultMet(f.type().word()));
        }
        if (proxy != null) {
            // The load balancer's header comes before anything the client sent (a TLS ClientHello included).
            p.addLast(PipelineNames.PROXY_DECODER, new HAProxyMessageDecoder());
            p.addLast(PipelineNames.PROXY_HEADER, new ProxyHeaderHandler(proxy.trusted(), proxy.headerTimeout().toNanos()));
        }
        if (pipeline.limits() != null) {
            // Keyed on the real client address, so after the PROXY header; before everything that serves.
            p.addLast(PipelineNames.ADMISSION, new AdmissionHandler(pipeline.limits(), listener.stats(), authentication.enabled()));
        }
        if (pipeline.tls() != null) {
            p.addLast(PipelineNames.TLS_CHECK, new TlsFirstByteCheck());
            p.addLast(PipelineNames.SSL, TlsContexts.serverHandler(pipeline.tls(), ch.alloc()));
        }
        if (inPlaceOnly) {
            p.addLast(PipelineNames.CONNECTION, new InPlaceConnectionHandler(listener, (ByteServiceHandler) service,
                    faults == null && pipeline.tls() == null));
            return;
        }
        p.addLast(PipelineNames.TRACKER, new ConnectionTracker(listener));
        p.addLast(PipelineNames.BACKPRESSURE, BackpressureHandler.INSTANCE);
        if (authentication.enabled()) {
            p.addLast(PipelineNames.HANDSHAKE, authentication.legacy() != null
                    ? new LegacyServerHandshake(authentication.keys(), authentication.legacy(), handshakeTimeoutNanos)
                    : new ServerHandshakeHandler(authentication.keys(), handshakeTimeoutNanos));
        }
        if (pipeline.json().enabled()) {
            int maxLine = pipeline.json().maxLine();
            p.addLast(PipelineNames.JSON_FRAMER, authentication.legacy() != null
                    ? new JsonValueFramer(maxLine, pipeline.partialMessages())
                    : new JsonLineFramer(maxLine, pipeline.partialMessages()));
        }
        if (lineFramed) {
            p.addLast(PipelineNames.LINE_FRAMER, new LineFramer(pipeline.json().maxLine()));
        }
        p.addLast(PipelineNames.SERVICE, service);
        if (outputStart != null) {
            p.addLast(PipelineNames.OUTPUT, new OutputHandler(pipeline.service(), outputStart));
        }
        p.addLast(PipelineNames.END, ConnectionEndHandler.INSTANCE);
    }
}
