package dev.jecho.server;

import dev.jecho.protocol.ConnectionEvents;
import dev.jecho.server.PenaltyPolicy.Offence;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Admits a connection, or closes it at once, when its client address becomes known
 * ({@link ConnectionEvents.PeerKnown}); follows it through the handshake
 * ({@link ConnectionEvents.Authenticated}, {@link ConnectionEvents.AuthenticationFailed}) and gives its
 * slot back when it closes. The decisions are {@link SourceLimits}'s. Sits at the head of the pipeline so
 * that a refused connection reaches nothing else, and exists only on servers that have per-source limits
 * to keep (a pre-authentication phase, or {@code --max-connections-per-ip}).
 */
final class AdmissionHandler extends ChannelInboundHandlerAdapter {

    private final SourceLimits limits;
    private final ServerStats stats;
    private final boolean preAuthPhase;
    private SourceLimits.Ticket ticket;

    AdmissionHandler(SourceLimits limits, ServerStats stats, boolean preAuthPhase) {
        this.limits = limits;
        this.stats = stats;
        this.preAuthPhase = preAuthPhase;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ConnectionEvents.PeerKnown known && ticket == null) {
            SourceLimits.Admission admission = limits.admit(ctx.channel(), known.address(), preAuthPhase, now(ctx));
            if (admission.ticket() == null) {
                stats.refused(admission.refusal());
                ctx.fireUserEventTriggered(new ConnectionEvents.Refused(
                        admission.refusal().name().toLowerCase(java.util.Locale.ROOT), admission.reason()));
                ctx.close();
                return;
            }
            ticket = admission.ticket();
        } else if (ticket != null && evt instanceof ConnectionEvents.Authenticated) {
            limits.authenticated(ticket);
        } else if (ticket != null && evt instanceof ConnectionEvents.AuthenticationFailed failed) {
            limits.failed(ticket, "timeout".equals(failed.reason()) ? Offence.TIMEOUT : Offence.AUTH_FAIL, now(ctx));
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (ticket != null) {
            limits.release(ticket);
        }
        ctx.fireChannelInactive();
    }

    private static long now(ChannelHandlerContext ctx) {
        return ctx.executor().ticker().nanoTime();
    }
}
