package dev.jecho.internal.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.uring.IoUringDomainSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.util.AttributeKey;

/**
 * At the head of an io_uring stream channel's pipeline: once the channel is asked to close, it asks for no more
 * input. Netty 4.2.18 closes an io_uring channel only after the read in flight completes; if the pipeline then
 * asks to read again (auto-read does, after every read) and the socket is empty, it arms a one-shot poll for
 * input that its close never cancels. The poll holds the socket, so closing the descriptor does not end the
 * connection: a client that sent more than one read's worth and waits for the server to close waited for ever
 * (the poll ends only when the client sends again). With Netty's multishot poll the one poll armed at the start
 * is the one the close cancels; jecho waits with one-shot polls ({@link NettyTransport}), so it needs this guard.
 * Clearing auto-read withdraws a read already asked for; dropping {@code read()} refuses those asked for later.
 */
@ChannelHandler.Sharable
final class IoUringCloseGuard extends ChannelOutboundHandlerAdapter {

    static final IoUringCloseGuard INSTANCE = new IoUringCloseGuard();

    /** Set by the close: a channel's attributes are made when first set, so an open connection costs nothing. */
    private static final AttributeKey<Boolean> CLOSING = AttributeKey.valueOf(IoUringCloseGuard.class, "closing");

    private IoUringCloseGuard() {
    }

    /** Puts the guard first in the pipeline of an io_uring stream channel; leaves any other channel alone. */
    static void guard(Channel ch) {
        if (ch instanceof IoUringSocketChannel || ch instanceof IoUringDomainSocketChannel) {
            ch.pipeline().addFirst(INSTANCE);
        }
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
        ctx.channel().attr(CLOSING).set(Boolean.TRUE);
        ctx.channel().config().setAutoRead(false);
        ctx.close(promise);
    }

    @Override
    public void read(ChannelHandlerContext ctx) throws Exception {
        if (!ctx.channel().hasAttr(CLOSING)) {
            ctx.read();
        }
    }
}
