package dev.jecho.internal.bench;

import dev.jecho.internal.protocol.PipelineNames;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;

import java.util.concurrent.TimeUnit;

/**
 * One of {@code connect} mode's {@code -c} slots: connect, one exchange, close, again, for the whole run.
 * A request's latency runs from the start of its connect (from when it was due, in open loop) to the last
 * byte of its reply, so it includes the handshake and any session setup.
 */
final class ConnectSlot implements Connector.Target, SingleExchange.Owner {

    /** After a failed attempt, so a refusing server is not hammered in a tight loop. */
    private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final int index;
    private final RunContext run;
    private final Connector connector;
    private final EventLoop loop;
    private Pacer pacer;
    private long dueAt;
    private long startedAt;

    ConnectSlot(int index, RunContext run, Connector connector, EventLoop loop) {
        this.index = index;
        this.run = run;
        this.connector = connector;
        this.loop = loop;
    }

    void start() {
        loop.execute(this::next);
    }

    /** Starts the next connection now, or when it is due (open loop). Runs on {@link #loop}. */
    private void next() {
        long now = System.nanoTime();
        if (!run.window.running(now)) {
            return;
        }
        long due = now;
        if (run.config.openLoop()) {
            if (pacer == null) {
                pacer = run.pacer(index, now);
            }
            due = pacer.nextDue();
            if (due > now) {
                loop.schedule(this::next, due - now, TimeUnit.NANOSECONDS);
                return;
            }
            pacer.take();
        }
        dueAt = due;
        startedAt = now;
        connector.connect(this);
    }

    @Override
    public void initChannel(Channel channel) {
        run.session.configure(channel.pipeline());
        channel.pipeline().addLast(PipelineNames.BENCH, new SingleExchange(this, run));
    }

    @Override
    public void connectDone(ChannelFuture future) {
        if (future.isSuccess()) {
            return; // counted as opened once its session is ready
        }
        if (run.window.running(System.nanoTime())) {
            run.connectFailed(future.cause(), false);
        }
        loop.schedule(this::next, RETRY_NANOS, TimeUnit.NANOSECONDS);
    }

    @Override
    public void ready(SingleExchange exchange) {
        run.stats.opened.increment();
        exchange.exchange();
    }

    @Override
    public void replied(SingleExchange exchange, long sentNanos, long doneNanos, int size) {
        if (run.window.counts(dueAt, doneNanos)) {
            run.recorders.of(loop).record(dueAt, startedAt, doneNanos);
            run.stats.bytes.add(run.codec.replyLength(size));
        }
        run.stats.completed.increment();
        exchange.close();
        loop.execute(this::next);
    }

    @Override
    public void failed(SingleExchange exchange, ErrorClass kind, Throwable cause) {
        if (run.window.running(System.nanoTime())) {
            if (kind == ErrorClass.CONNECT) {
                run.connectFailed(cause, false);
            } else {
                run.stats.error(kind);
            }
        }
        loop.schedule(this::next, RETRY_NANOS, TimeUnit.NANOSECONDS);
    }
}
