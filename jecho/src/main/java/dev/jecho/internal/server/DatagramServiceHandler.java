package dev.jecho.internal.server;

import dev.jecho.Keyring;
import dev.jecho.ListenerRecorder;
import dev.jecho.ServerStats;
import dev.jecho.Service;
import dev.jecho.internal.protocol.datagram.ReplayWindows;
import dev.jecho.internal.protocol.datagram.TaggedDatagram;
import dev.jecho.internal.transport.NettyTransport;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The article's UDP loop: each datagram gets its reply, of the same size. Never a larger reply and
 * never an error message, so the service cannot amplify or be driven into a loop. No reply, and a count,
 * for a datagram
 * <ul>
 *   <li>that filled the receive buffer (sized {@code --max-datagram} + 1), so was larger than the maximum
 *       and possibly truncated;</li>
 *   <li>that could start a loop: from a privileged port, or from our own port number;</li>
 *   <li>over its source's rate ({@code --udp-rate}, {@code --udp-burst}), unless the source is exempt.</li>
 * </ul>
 * With a secret set, only tagged datagrams (see {@link TaggedDatagram}) that are fresh and not replayed get
 * a reply, tagged too; the rest are dropped without a word. One per listener: the rate limiter's table
 * belongs to the listener's event loop; the replay windows are the server's, one per key, so a datagram
 * replayed to another listener is refused there too.
 */
public final class DatagramServiceHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(DatagramServiceHandler.class);

    private final Service service;
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
        recorder.datagramSent(size);
        if (size == 0) {
            packet.release();
            replyEmpty(ctx, sender);
            return;
        }
        service.applyInPlace(content);
        ctx.write(new DatagramPacket(content, sender), ctx.voidPromise());
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
            service.applyInPlace(payload);
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
