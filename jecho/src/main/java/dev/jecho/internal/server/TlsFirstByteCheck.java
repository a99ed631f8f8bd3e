package dev.jecho.internal.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * On a {@code --tls} listener, in front of the SslHandler: a client's first byte must start a TLS
 * handshake record (a ClientHello), else the client does not speak TLS. Such a connection is closed at
 * once with the close reason {@link #REASON}, after a fatal TLS alert that a client can recognise. The
 * SslHandler alone waits for a whole 5-byte record header, so a plain client that sent {@code hi} would
 * wait for its handshake timeout, and bytes it does reject end up hex-dumped in its exception. Looks at
 * one byte, then removes itself.
 */
final class TlsFirstByteCheck extends ChannelInboundHandlerAdapter {

    /** The close line's reason for a client that does not speak TLS. */
    static final String REASON = "not TLS";

    /** TLS record content type 22: a client's first record is its ClientHello, always a handshake record. */
    private static final byte HANDSHAKE_RECORD = 0x16;

    /** A fatal unexpected_message alert (RFC 8446 6.2) in a TLS 1.2 record: 21 3 3, length 2, fatal(2), 10. */
    private static final byte[] UNEXPECTED_MESSAGE_ALERT = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x0a};

    private boolean rejected;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (rejected) {
            ReferenceCountUtil.release(msg); // read while the alert goes out: the connection is closing
            return;
        }
        if (!(msg instanceof ByteBuf in) || !in.isReadable()) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (in.getByte(in.readerIndex()) == HANDSHAKE_RECORD) {
            ctx.pipeline().remove(this);
            ctx.fireChannelRead(msg);
            return;
        }
        ReferenceCountUtil.release(msg);
        rejected = true;
        CloseReason.set(ctx.channel(), REASON);
        // Closed from here, below the SslHandler: a close through the whole pipeline passes it, and it answers with
        // alerts of its own (user_canceled, close_notify) after ours. epoll lost them only because its write
        // completes inside the flush, where a second flush is ignored; io_uring's completes later and sent them.
        ctx.writeAndFlush(ctx.alloc().buffer(UNEXPECTED_MESSAGE_ALERT.length).writeBytes(UNEXPECTED_MESSAGE_ALERT))
                .addListener(alertSent -> ctx.close());
    }
}
