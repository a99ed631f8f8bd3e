package dev.jecho.internal.server;

import dev.jecho.ConnectionInfo;
import dev.jecho.ListenerRecorder;
import dev.jecho.ServerStats;
import dev.jecho.internal.protocol.ConnectionEvents;
import dev.jecho.internal.protocol.PeerAddress;
import dev.jecho.internal.protocol.handshake.RecordException;
import dev.jecho.internal.transport.PeerReset;
import dev.jecho.internal.transport.TcpInfo;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.NotSslRecordException;

import java.io.IOException;
import javax.net.ssl.SSLException;

/**
 * One per connection: counts the messages and bytes the service sees each way, tells the listener's
 * metrics, and writes the connect and close lines, with the {@link CloseReason} given, or the one it learns
 * from the events and errors that pass it. It announces the
 * client's address ({@link ConnectionEvents.PeerKnown}) when the connection becomes active, unless the
 * listener waits for a PROXY protocol header to learn it.
 *
 * <p>It carries every per-connection count so that no other handler needs state for metrics: a few
 * plain fields, touched only on the connection's event loop. One read batch in
 * {@link ListenerRecorder#PROCESSED_SAMPLE} is timed, and only when metrics are on. It also holds what
 * {@link ConnectionSweeper} needs to time the connection out, so a timeout costs no handler and no timer
 * of its own. It counts a handshake that missed its deadline as a timeout, once: the handshake handler
 * closes the connection and reports it; nothing else times a handshake.
 */
class ConnectionTracker extends ChannelDuplexHandler {

    /** A time not yet seen. */
    static final long NEVER = Long.MIN_VALUE;

    /** The {@link ConnectionEvents.AuthenticationFailed} reason of a handshake past its deadline (docs/protocol.md). */
    static final String HANDSHAKE_TIMEOUT = "timeout";

    private final StreamListener listener;
    private String keyId;
    private long openedAt;
    long messagesIn;
    private long bytesIn;
    private long messagesOut;
    private long bytesOut;
    private long batchStart;
    private int batches;
    private boolean inBatch;
    private boolean active;
    /** Refused by a limit: logged as a refusal, and its handshake (never run) is not counted as failed. */
    private boolean refused;

    // Kept by ConnectionSweeper, on this connection's event loop.
    /**
     * The low 32 bits of {@link #messagesIn} when the sweep last saw it change: enough to see a change (2^32
     * messages between two sweeps cannot happen), and 8 bytes less on every connection.
     */
    int seenMessages;
    /** When the sweep first saw the connection with nothing to do, or {@link #NEVER}. */
    long quietSince = NEVER;
    /** When the sweep first saw the connection unwritable, or {@link #NEVER}; reset when it drains. */
    long unwritableSince = NEVER;

    // Kept by OpenConnections, under its lock: the tracker is the registry's entry.
    /** The connection while it is in the registry, else null. */
    Channel openChannel;
    /** The connection opened before this one in the registry; kept when taken out (a walk may stand here). */
    volatile ConnectionTracker olderOpen;
    ConnectionTracker newerOpen;

    ConnectionTracker(StreamListener listener) {
        this.listener = listener;
    }

    /** Bytes read from the client so far; call on the connection's event loop. */
    long bytesIn() {
        return bytesIn;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        openedAt = System.nanoTime();
        active = true;
        listener.stats().connectionOpened();
        listener.recorder().connectionAccepted();
        listener.open().add(ctx.channel(), this);
        if (listener.peerKnownAtConnect()) {
            // Before the stages behind hear of the connection: one refused by a limit is closed before they
            // act on it (a handshake's hello, say).
            ctx.pipeline().fireUserEventTriggered(new ConnectionEvents.PeerKnown(ctx.channel().remoteAddress()));
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        received(msg);
        ctx.fireChannelRead(msg);
    }

    /** Counts a message on its way to the service. */
    final void received(Object msg) {
        int n = sizeOf(msg);
        messagesIn++;
        bytesIn += n;
        ListenerRecorder recorder = listener.recorder();
        recorder.messageReceived(n);
        if (!inBatch) {
            inBatch = true;
            if (recorder.enabled() && (batches++ % ListenerRecorder.PROCESSED_SAMPLE) == 0) {
                batchStart = System.nanoTime();
            }
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.fireChannelReadComplete(); // the service flushes its replies here
        readBatchDone();
    }

    /** The read batch is over and its replies flushed: times it, if it is the sampled one. */
    final void readBatchDone() {
        if (batchStart != 0) {
            listener.recorder().processed(System.nanoTime() - batchStart);
            batchStart = 0;
        }
        inBatch = false;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        writabilityChanged(ctx);
        ctx.fireChannelWritabilityChanged();
    }

    /** The slow-client clock stops once the replies drain. */
    final void writabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            unwritableSince = NEVER;
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        sent(sizeOf(msg));
        ctx.write(msg, promise);
    }

    /** Counts a reply of {@code n} bytes on its way to the client (none for an empty write). */
    final void sent(int n) {
        if (n > 0) {
            messagesOut++;
            bytesOut += n;
            listener.recorder().messageSent(n);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ConnectionEvents.PeerKnown) {
            listener.log().connected(listener.name(), ctx.channel());
        } else if (evt instanceof ConnectionEvents.Authenticated authenticated) {
            keyId = authenticated.keyId() == null ? "" : authenticated.keyId();
            listener.recorder().handshakeSucceeded();
        } else if (evt instanceof ConnectionEvents.AuthenticationFailed failed) {
            if (!refused) { // a refused connection never had its handshake: its close is no failure of one
                listener.recorder().handshakeFailed(failed.reason());
                if (HANDSHAKE_TIMEOUT.equals(failed.reason())) {
                    listener.stats().timedOut(ServerStats.Timeout.HANDSHAKE);
                }
            }
            CloseReason.set(ctx.channel(), "authentication failed: " + failed.reason());
        } else if (evt instanceof ConnectionEvents.Refused refusal) {
            listener.recorder().connectionRefused(refusal.reason());
            if (CloseReason.set(ctx.channel(), refusal.detail())) {
                refused = true;
            }
        } else if (evt instanceof ChannelInputShutdownEvent) {
            // The stages behind may know better why the peer's end of stream ends the connection (a handshake
            // it cut short): they hear of it first.
            inputShutdown(ctx, evt);
            CloseReason.set(ctx.channel(), "peer closed");
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    /** The client shut its output down: the stages behind hear of it. */
    void inputShutdown(ChannelHandlerContext ctx, Object evt) {
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        CloseReason.set(ctx.channel(), reasonFor(cause));
        ctx.fireExceptionCaught(cause);
    }

    /** Why a connection that failed with {@code cause} is closed, for its close line. */
    static String reasonFor(Throwable cause) {
        SSLException tls = tlsFailure(cause);
        return tls instanceof NotSslRecordException ? TlsFirstByteCheck.REASON // its message hex-dumps the bytes
                : tls != null ? "TLS failed: " + tls.getMessage()
                : cause instanceof IOException ? describeIoError(cause)
                : cause instanceof RecordException ? "session record rejected: " + cause.getMessage()
                : "error: " + cause.getMessage();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        listener.open().remove(this);
        listener.stats().connectionClosed(bytesIn);
        if (active) {
            listener.recorder().connectionClosed();
        }
        String reason = CloseReason.of(ctx.channel());
        if (refused) {
            listener.log().refused(listener.name(), ctx.channel(), reason);
        } else {
            listener.log().closed(listener.name(), ctx.channel(), messagesIn, bytesIn, System.nanoTime() - openedAt,
                    reason == null ? "peer closed" : reason, StreamFaultHandler.met(ctx.channel()));
        }
        ctx.fireChannelInactive();
    }

    /** This connection for {@code /connections}; call on the channel's event loop. */
    ConnectionInfo describe(Channel channel) {
        ConnectionInfo.Tcp tcp;
        try {
            tcp = TcpInfo.of(channel);
        } catch (RuntimeException e) { // closed under our feet
            tcp = null;
        }
        return new ConnectionInfo(channel.id().asShortText(), listener.endpoint(),
                PeerAddress.describe(channel),
                PeerAddress.describe(channel.remoteAddress(), channel),
                (System.nanoTime() - openedAt) / 1_000_000, messagesIn, bytesIn, messagesOut, bytesOut, keyId, tcp,
                StreamFaultHandler.met(channel));
    }

    private static int sizeOf(Object msg) {
        if (msg instanceof ByteBuf buf) {
            return buf.readableBytes();
        }
        if (msg instanceof ByteBufHolder holder) {
            return holder.content().readableBytes();
        }
        return 0;
    }

    /** The TLS error behind an exception (a handshake the peer or we refused), or null. */
    static SSLException tlsFailure(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SSLException ssl) {
                return ssl;
            }
        }
        return null;
    }

    static String describeIoError(Throwable cause) {
        if (PeerReset.is(cause)) {
            return "peer reset";
        }
        String m = String.valueOf(cause.getMessage());
        if (m.contains("Broken pipe")) {
            return "peer went away";
        }
        return "I/O error: " + m;
    }
}
