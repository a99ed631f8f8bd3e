package dev.jecho.internal.server;

import dev.jecho.ServerStats;
import dev.jecho.internal.protocol.ConnectionEvents;
import dev.jecho.internal.server.PenaltyPolicy.Offence;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.util.concurrent.Future;

import javax.net.ssl.SSLException;

/**
 * Admits a connection, or closes it at once, when its client address becomes known
 * ({@link ConnectionEvents.PeerKnown}); follows it through its handshakes (TLS's, whose outcome it reads
 * from the client's first byte and the {@link SslHandler}, then jecho's: {@link ConnectionEvents.Authenticated},
 * {@link ConnectionEvents.AuthenticationFailed}) and gives its slot back when it closes. The decisions are
 * {@link SourceLimits}'s. Sits at the head of the pipeline so that a refused connection reaches nothing
 * else, and exists only on servers that have per-source limits to keep (a pre-authentication phase, TLS,
 * or {@code --max-connections-per-ip}).
 */
final class AdmissionHandler extends ChannelInboundHandlerAdapter {

    /** TLS record content type 22: a client's first record is its ClientHello, always a handshake record. */
    private static final byte TLS_HANDSHAKE_RECORD = 0x16;

    private final SourceLimits limits;
    private final ServerCounters stats;
    private final boolean preAuthPhase;
    private SourceLimits.Ticket ticket;
    /** TLS is configured and the client has sent nothing yet. */
    private boolean awaitingTlsFirstByte;

    AdmissionHandler(SourceLimits limits, ServerCounters stats, boolean preAuthPhase) {
        this.limits = limits;
        this.stats = stats;
        this.preAuthPhase = preAuthPhase;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ConnectionEvents.PeerKnown known && ticket == null) {
            SourceLimits.Admission admission = limits.admit(known.address(), preAuthPhase, now(ctx));
            if (admission.ticket() == null) {
                stats.refused(admission.refusal());
                ctx.fireUserEventTriggered(new ConnectionEvents.Refused(
                        admission.refusal().name().toLowerCase(java.util.Locale.ROOT), admission.reason()));
                ctx.close();
                return;
            }
            ticket = admission.ticket();
            SslHandler tls = ctx.pipeline().get(SslHandler.class);
            if (tls != null) {
                awaitingTlsFirstByte = true;
                tls.handshakeFuture().addListener(f -> tlsDone(ctx, f));
            }
        } else if (ticket != null && evt instanceof ConnectionEvents.Authenticated) {
            limits.authenticated(ticket);
        } else if (ticket != null && evt instanceof ConnectionEvents.AuthenticationFailed failed) {
            Offence offence = offence(failed.reason());
            if (offence != null) {
                limits.failed(ticket, offence, now(ctx));
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    /**
     * What a failed handshake costs its source: a timeout is OpenSSH's grace-exceeded, a wrong key or a
     * malformed message its authfail, and a client that hung up before finishing (a port scan, a client
     * that gave up, a health check too) its noauth: it held a startup slot for nothing, and a source that
     * keeps doing that would hold them all without ever failing.
     */
    static Offence offence(String reason) {
        return switch (reason) {
            case ConnectionTracker.HANDSHAKE_TIMEOUT -> Offence.TIMEOUT;
            case "disconnected", "truncated" -> Offence.NO_AUTH;
            default -> Offence.AUTH_FAIL;
        };
    }

    /**
     * A client whose first byte cannot start a TLS ClientHello (a handshake record, content type 22) does
     * not speak TLS: a failed TLS handshake, decided here, before whatever closes it (the TLS stages do, at
     * once or after their own checks) makes it look like a hang-up.
     */
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (awaitingTlsFirstByte && msg instanceof ByteBuf in && in.isReadable()) {
            awaitingTlsFirstByte = false;
            if (in.getByte(in.readerIndex()) != TLS_HANDSHAKE_RECORD) {
                limits.failed(ticket, Offence.TLS_FAIL, now(ctx));
            }
        }
        ctx.fireChannelRead(msg);
    }

    /**
     * A TLS handshake that failed on the peer's account (not TLS after all, no common version, an alert) costs
     * what a failed authentication does, and one past the SslHandler's timeout what a handshake timeout does;
     * one cut short by a close is the jecho handshake's to report, as a hang-up.
     */
    private void tlsDone(ChannelHandlerContext ctx, Future<?> handshake) {
        Throwable cause = handshake.cause();
        if (cause instanceof SSLException) {
            limits.failed(ticket, cause instanceof SslHandshakeTimeoutException ? Offence.TIMEOUT : Offence.TLS_FAIL, now(ctx));
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        // The handlers behind report how the connection ended (a handshake's timeout, say) as it goes
        // inactive: the slot is given back only after they have, so that those reports still count.
        ctx.fireChannelInactive();
        if (ticket != null) {
            limits.release(ticket);
        }
    }

    private static long now(ChannelHandlerContext ctx) {
        return ctx.executor().ticker().nanoTime();
    }
}
