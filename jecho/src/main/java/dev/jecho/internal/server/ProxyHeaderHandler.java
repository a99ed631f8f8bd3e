package dev.jecho.internal.server;

import dev.jecho.internal.protocol.ConnectionEvents;
import dev.jecho.internal.protocol.PeerAddress;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyProtocolException;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;

/**
 * The policy half of a {@code --proxy-protocol} listener; Netty's {@code HAProxyMessageDecoder} just
 * before it reads the header (v1 or v2). A connection must come from a trusted proxy and its header must
 * arrive whole within the timeout; then the real client is recorded ({@link PeerAddress#set}),
 * {@link ConnectionEvents.PeerKnown} is fired, and this handler leaves the pipeline. Anything else (an
 * untrusted source, no header, a malformed one, a timeout) is refused and closed: the address is never
 * guessed. A {@code LOCAL} header (the proxy's own health check) leaves the socket's address as the peer.
 */
final class ProxyHeaderHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ProxyHeaderHandler.class);

    private final TrustedProxies trusted;
    private final long timeoutNanos;
    private ScheduledFuture<?> timeout;
    private boolean refused;

    ProxyHeaderHandler(TrustedProxies trusted, long timeoutNanos) {
        this.trusted = trusted;
        this.timeoutNanos = timeoutNanos;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.fireChannelActive(); // the tracker counts the connection as accepted
        if (!trusted.trusts(ctx.channel().remoteAddress())) {
            refuse(ctx, "untrusted_proxy");
            return;
        }
        timeout = ctx.executor().schedule(() -> refuse(ctx, "proxy_header_timeout"), timeoutNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!(msg instanceof HAProxyMessage header)) {
            ctx.fireChannelRead(msg); // not reached: the decoder passes nothing on before a header
            return;
        }
        try {
            cancelTimeout();
            InetSocketAddress client = realClient(header);
            if (client != null) {
                PeerAddress.set(ctx.channel(), client);
            }
            ctx.fireUserEventTriggered(new ConnectionEvents.PeerKnown(PeerAddress.of(ctx.channel())));
            ctx.pipeline().remove(this);
        } finally {
            header.release();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof HAProxyProtocolException) {
            if (LOG.isDebugEnabled()) { // the message quotes the header, control characters and all
                LOG.debug("{}: no valid PROXY header: {}", PeerAddress.describe(ctx.channel()), PeerText.bounded(cause.getMessage()));
            }
            refuse(ctx, "proxy_header_invalid");
        } else {
            ctx.fireExceptionCaught(cause);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelTimeout();
        ctx.fireChannelInactive();
    }

    private void refuse(ChannelHandlerContext ctx, String reason) {
        if (refused) {
            return;
        }
        refused = true;
        cancelTimeout();
        ctx.fireUserEventTriggered(new ConnectionEvents.Refused(reason));
        ctx.close();
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
    }

    /** The client the header names, or null for a LOCAL header or an address family jecho does not map. */
    static InetSocketAddress realClient(HAProxyMessage header) {
        if (header.command() != HAProxyCommand.PROXY || header.sourceAddress() == null) {
            return null;
        }
        byte[] ip = NetUtil.createByteArrayFromIpAddressString(header.sourceAddress());
        if (ip == null) {
            return null; // AF_UNIX or UNKNOWN
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), header.sourcePort());
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
