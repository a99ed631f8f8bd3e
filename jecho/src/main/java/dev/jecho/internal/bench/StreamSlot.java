package dev.jecho.internal.bench;

import dev.jecho.internal.protocol.PipelineNames;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoopGroup;

import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One of the run's {@code -c} connections in {@code rr} and {@code bulk} modes: connected through the
 * {@link Connector}, and reopened after an error (with a growing pause, so a server that refuses or
 * closes everything is not hammered) for as long as the run goes on. Its open-loop schedule survives a
 * reconnect: requests that fall due while it is down are measured from when they were due.
 */
final class StreamSlot implements Connector.Target {

    private static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);

    final int index;
    private final RunContext run;
    private final Connector connector;
    private final EventLoopGroup group;
    private final Function<StreamSlot, ChannelHandler> handlers;
    private boolean attempted;
    private long backoffNanos = MIN_BACKOFF_NANOS;
    private Pacer pacer;

    StreamSlot(int index, RunContext run, Connector connector, EventLoopGroup group,
               Function<StreamSlot, ChannelHandler> handlers) {
        this.index = index;
        this.run = run;
        this.connector = connector;
        this.group = group;
        this.handlers = handlers;
    }

    void start() {
        connector.connect(this);
    }

    @Override
    public void initChannel(Channel channel) {
        run.session.configure(channel.pipeline());
        channel.pipeline().addLast(PipelineNames.BENCH, handlers.apply(this));
    }

    @Override
    public synchronized void connectDone(ChannelFuture future) {
        if (future.isSuccess()) {
            return; // counted as open once its session is ready (see opened())
        }
        setupFailed(future.cause());
        reopenLater();
    }

    /** The connection can carry messages (connected, and TLS and the handshake done). */
    synchronized void opened() {
        if (attempted) {
            run.stats.opened.increment();
        } else {
            run.stats.established.increment();
        }
        attempted = true;
    }

    /**
     * The connect, or the session setup after it, failed: a connect error while the run goes on (the handler
     * reports the close with {@link #lost}).
     */
    synchronized void setupFailed(Throwable cause) {
        if (!run.window.stopped()) {
            run.connectFailed(cause, !attempted);
        }
        attempted = true;
    }

    /** The connection ended before the run did: open another one after a pause. */
    synchronized void lost() {
        reopenLater();
    }

    /** The connection carried messages: the next failure starts the backoff from the bottom again. */
    synchronized void healthy() {
        backoffNanos = MIN_BACKOFF_NANOS;
    }

    private void reopenLater() {
        if (run.window.stopped()) {
            return;
        }
        long delay = backoffNanos;
        backoffNanos = Math.min(MAX_BACKOFF_NANOS, backoffNanos * 2);
        group.schedule(() -> {
            if (!run.window.stopped()) {
                connector.connect(this);
            }
        }, delay, TimeUnit.NANOSECONDS);
    }

    /** The open-loop schedule of this slot (created when it first can send), or null in a closed loop. */
    synchronized Pacer pacer(long nowNanos) {
        if (pacer == null) {
            pacer = run.pacer(index, nowNanos);
        }
        return pacer;
    }
}
