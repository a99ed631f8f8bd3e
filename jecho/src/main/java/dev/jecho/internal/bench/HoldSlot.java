package dev.jecho.internal.bench;

import dev.jecho.internal.protocol.PipelineNames;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;

import java.util.concurrent.CountDownLatch;

/**
 * One of {@code hold} mode's connections: opened (paced), one exchange to prove it works, then kept idle
 * for the duration; at the end one more exchange proves it is still alive. A connection the server closes
 * meanwhile counts as {@code closed}. Nothing is reopened: the point is how many connections stay up.
 */
final class HoldSlot implements Connector.Target, SingleExchange.Owner {

    private final RunContext run;
    private final CountDownLatch settled;
    private final CountDownLatch probed;
    private volatile SingleExchange exchange;
    private volatile boolean opened;
    private volatile boolean probing;
    private boolean counted;
    private boolean probeEnded;

    HoldSlot(RunContext run, CountDownLatch settled, CountDownLatch probed) {
        this.run = run;
        this.settled = settled;
        this.probed = probed;
    }

    @Override
    public void initChannel(Channel channel) {
        run.session.configure(channel.pipeline());
        SingleExchange e = new SingleExchange(this, run);
        exchange = e;
        channel.pipeline().addLast(PipelineNames.BENCH, e);
    }

    @Override
    public void connectDone(ChannelFuture future) {
        if (future.isSuccess()) {
            return; // counted as established once its session is ready
        }
        run.connectFailed(future.cause(), true);
        settle();
    }

    @Override
    public void ready(SingleExchange e) {
        run.stats.established.increment();
        e.exchange();
    }

    @Override
    public void replied(SingleExchange e, long sentNanos, long doneNanos, int size) {
        run.recorders.of(currentLoop()).record(sentNanos, sentNanos, doneNanos);
        run.stats.completed.increment();
        if (!opened) {
            opened = true;
            run.stats.opened.increment();
            settle();
        } else if (probing) {
            endProbe(true);
        }
    }

    @Override
    public void failed(SingleExchange e, ErrorClass kind, Throwable cause) {
        if (kind == ErrorClass.CONNECT) {
            run.connectFailed(cause, !opened);
        } else {
            run.stats.error(kind);
        }
        if (!opened) {
            settle();
        }
        if (probing) {
            endProbe(false);
        }
    }

    private synchronized void settle() {
        if (!counted) {
            counted = true;
            settled.countDown();
        }
    }

    /** The end of the hold: one more exchange, or count the connection dead at once. */
    void probe() {
        SingleExchange e = exchange;
        run.stats.probed.increment();
        if (e == null || !opened || !e.usable()) {
            endProbe(false);
            return;
        }
        probing = true;
        e.channel().eventLoop().execute(() -> {
            if (e.usable()) {
                e.exchange();
            } else {
                endProbe(false);
            }
        });
    }

    private synchronized void endProbe(boolean alive) {
        if (probeEnded) {
            return;
        }
        probeEnded = true;
        if (alive) {
            run.stats.aliveAtEnd.increment();
        }
        probed.countDown();
    }

    private io.netty.channel.EventLoop currentLoop() {
        return exchange.channel().eventLoop();
    }
}
