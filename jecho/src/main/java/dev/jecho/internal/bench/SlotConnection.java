package dev.jecho.internal.bench;

import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * A stream connection that a {@link StreamSlot} keeps open for the whole run ({@code rr}, {@code bulk}):
 * it tells the slot when its session is up and when it is gone, records latencies in its event loop's
 * recorder, and checks itself for timeouts on a sweep every {@link RunContext#sweepNanos()}.
 */
abstract class SlotConnection extends LoadHandler {

    final StreamSlot slot;
    Recorders.ThreadRecorder recorder;
    private ScheduledFuture<?> sweeper;

    SlotConnection(StreamSlot slot, RunContext run) {
        super(run);
        this.slot = slot;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        super.handlerAdded(ctx);
        this.recorder = run.recorders.of(ctx.channel().eventLoop());
    }

    @Override
    final void sessionReady() {
        slot.opened();
        long sweep = run.sweepNanos();
        sweeper = ctx.executor().scheduleAtFixedRate(this::sweep, sweep, sweep, TimeUnit.NANOSECONDS);
        start();
    }

    /** The session is up: start the load. */
    abstract void start();

    /** Fails the connection if it has waited too long for the server, or tells the slot it is healthy. */
    abstract void sweep();

    /** Cancels what the load scheduled on the event loop; the connection is gone. */
    void stopped() {
    }

    @Override
    void countSetupFailure(Throwable cause) {
        slot.setupFailed(cause);
    }

    @Override
    public final void channelInactive(ChannelHandlerContext ctx) {
        if (sweeper != null) {
            sweeper.cancel(false);
        }
        stopped();
        countClosedByServer();
        slot.lost();
        ctx.fireChannelInactive();
    }
}
