package dev.jecho.internal.server;

import dev.jecho.Keyring;
import dev.jecho.ListenerRecorder;
import dev.jecho.ServerStats;
import dev.jecho.Service;
import dev.jecho.internal.protocol.datagram.ReplayWindows;
import dev.jecho.internal.protocol.datagram.TaggedDatagram;
import dev.jecho.internal.service.InPlaceBytes;
import dev.jecho.internal.transport.NettyTransport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The article's UDP loop: each datagram gets its reply, of the same size with upper and echo (transformed
 * where it lies), none with discard. Never a larger reply (a service's larger one is dropped and counted) and
 * never an error message, so the service cannot amplify or be driven into a loop. No reply, and a count,
 * for a datagram
 * <ul>
 *   <li>that filled the receive buffer (sized {@code --max-datagram} + 1), so was larger than the maximum
 *       and possibly truncated;</li>
 *   <li>that could start a loop: from a privileged port, or from our own port number;</li>
 *   <li>over its source's rate ({@code --udp-rate}, {@code --udp-burst}), unless the source is exempt.</li>
 * </ul>
 * With a secret set, only tagged datagrams (see {@link TaggedDatagram}) that are fresh and not replayed get
 * a reply, tagged too; the rest are dropped without a word. One per socket of a listener (a listener has one
 * per event loop where the transport allows, see {@link UdpListenerKind}): the rate limiter is the listener's,
 * shared by its sockets; the replay windows are the server's, one per key, so a datagram replayed to another
 * listener is refused there too.
 */
public final class DatagramServiceHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(DatagramServiceHandler.class);

    private final Service service;
    /** The in-place transform of a byte service (null for echo: nothing to do); see {@link #inPlace}. */
    private final Service.InPlace transform;
    /** Whether the service transforms datagrams where they lie (upper, echo), rather than through its reply. */
    private final boolean inPlace;
    private final ServerCounters stats;
    private final ListenerRecorder recorder;
    private final int receiveBufferSize;
    private final DatagramRateLimiter rateLimiter;
    private final List<Cidr> exempt;
    private final Keyring keys;
    private final ReplayWindows replayWindows;

    /**
     * @param rateLimiter null for no rate limit
     * @param keys        with a secret set, the keys datagrams must be tagged with; null for plain datagrams
     * @param replayWindows with a secret set, the replay windows of those keys, shared by every UDP listener
     */
    public DatagramServiceHandler(Service service, ServerCounters stats, ListenerRecorder recorder, int receiveBufferSize,
                           DatagramRateLimiter rateLimiter, List<Cidr> exempt, Keyring keys, ReplayWindows replayWindows) {
        this.service = service;
        Service.InPlace t = service.framing() == Service.Framing.BYTES ? service.inPlace() : null;
        this.inPlace = t != null;
        this.transform = t == Service.InPlace.UNCHANGED ? null : t;
        this.stats = stats;
        this.recorder = recorder;
        this.receiveBufferSize = receiveBufferSize;
        this.rateLimiter = rateLimiter;
        this.exempt = exempt;
        this.keys = keys;
        this.replayWindows = replayWindows;
    }

    DatagramServiceHandler(Service service, ServerCounters stats, ListenerRecorder recorder, int receiveBufferSize) {
        this(service, stats, recorder, receiveBufferSize, null, List.of(), null, null);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        DatagramPacket packet = (DatagramPacket) msg;
        stats.datagramReceived();
        ByteBuf content = packet.content();
        int size = content.readableBytes();
        recorder.datagramReceived(size);
        InetSocketAddress sender = packet.sender();
        if (size >= receiveBufferSize) {
            stats.datagramTooLarge();
            recorder.datagramDropped("too_large");
            packet.release();
            return;
        }
        if (couldLoop(ctx, sender)) {
            stats.datagramDropped();
            recorder.datagramDropped("loop_risk");
            packet.release();
            return;
        }
        if (rateLimiter != null && overRate(ctx, sender)) {
            stats.datagramRateLimited();
            recorder.datagramDropped("rate_limited");
            packet.release();
            return;
        }
        if (keys != null) {
            replyTagged(ctx, packet);
            return;
        }
        if (!service.replies()) {
            packet.release();
            return;
        }
        if (!inPlace) {
            replyByService(ctx, packet);
            return;
        }
        recorder.datagramSent(size);
        if (size == 0) {
            packet.release();
            replyEmpty(ctx, sender);
            return;
        }
        if (transform != null) {
            InPlaceBytes.apply(transform, content);
        }
        ctx.write(new DatagramPacket(content, sender), ctx.voidPromise());
    }

    /** A service without an in-place transform: its reply to the datagram, if it has one no larger. */
    private void replyByService(ChannelHandlerContext ctx, DatagramPacket packet) {
        InetSocketAddress sender = packet.sender();
        byte[] reply;
        int size;
        try {
            size = packet.content().readableBytes();
            reply = service.reply(ByteBufUtil.getBytes(packet.content()));
        } finally {
            packet.release();
        }
        if (reply == null || tooLarge(reply.length, size)) {
            return;
        }
        recorder.datagramSent(reply.length);
        if (reply.length == 0) {
            replyEmpty(ctx, sender);
        } else {
            ctx.write(new DatagramPacket(ctx.alloc().buffer(reply.length).writeBytes(reply), sender), ctx.voidPromise());
        }
    }

    /** A reply larger than its request would make the server an amplifier: dropped, and counted. */
    private boolean tooLarge(int reply, int request) {
        if (reply <= request) {
            return false;
        }
        stats.datagramDropped();
        recorder.datagramDropped("reply_too_large");
        return true;
    }

    private boolean overRate(ChannelHandlerContext ctx, InetSocketAddress sender) {
        if (sender.getAddress() == null || (!exempt.isEmpty() && SourceLimits.isExempt(exempt, sender.getAddress()))) {
            return false;
        }
        return !rateLimiter.tryAcquire(sender.getAddress(), ctx.executor().ticker().nanoTime());
    }

    private void replyTagged(ChannelHandlerContext ctx, DatagramPacket packet) {
        try {
            TaggedDatagram.Request request = TaggedDatagram.open(packet.content(), keys, replayWindows::forKey, System.currentTimeMillis());
            ByteBuf payload = packet.content().slice(request.payloadOffset(), request.payloadLength());
            if (!service.replies()) {
                return;
            }
            if (inPlace) {
                if (transform != null) {
                    InPlaceBytes.apply(transform, payload);
                }
            } else {
                byte[] reply = service.reply(ByteBufUtil.getBytes(payload));
                if (reply == null || tooLarge(reply.length, payload.readableBytes())) {
                    return;
                }
                payload = Unpooled.wrappedBuffer(reply);
            }
            ByteBuf reply = TaggedDatagram.reply(ctx.alloc(), request.key(), request.nonce(), payload);
            recorder.datagramSent(reply.readableBytes());
            ctx.write(new DatagramPacket(reply, packet.sender()), ctx.voidPromise());
        } catch (TaggedDatagram.RejectedException e) {
            stats.datagramDropped();
            recorder.datagramDropped("bad_tag");
            LOG.debug("{}: datagram from {} dropped: {}", ctx.channel(), packet.sender(), e.rejection());
        } finally {
            packet.release();
        }
    }

    /** The article's empty datagram gets an empty reply. */
    private static void replyEmpty(ChannelHandlerContext ctx, InetSocketAddress sender) {
        ctx.flush();
        try {
            NettyTransport.sendEmptyDatagram(ctx.channel(), sender);
        } catch (IOException e) {
            LOG.debug("{}: empty reply to {} failed: {}", ctx.channel(), sender, e.toString());
        }
    }

    /**
     * A reply to port 0..1023, or to our own port number on any host (another echo server like us), could
     * feed another echo service and start a loop (CVE-1999-0103, CVE-2024-2169).
     */
    private static boolean couldLoop(ChannelHandlerContext ctx, InetSocketAddress sender) {
        int port = sender.getPort();
        if (port < 1024) {
            return true;
        }
        return ctx.channel().localAddress() instanceof InetSocketAddress local && local.getPort() == port;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A datagram socket has no peer to lose: an ICMP error for one sender must not stop the others.
        LOG.debug("{}: {}", ctx.channel(), cause.toString());
    }
}
