package dev.jecho.internal.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * {@code rr} on one stream connection: keeps up to {@code pipeline} requests in flight, reads each reply
 * whole (checking every byte), times it and sends the next. In a closed loop the next request goes as a
 * reply completes; in open loop when the connection's {@link Pacer} says it is due. Replies of one read
 * batch are answered with one flush.
 *
 * <p>A timeout, a mismatch or an unexpected close counts one error of its class and ends the connection
 * (its stream can no longer be matched to requests); the {@link StreamSlot} opens another.
 */
final class RequestLoop extends SlotConnection {

    private final MessageCodec.ReplyReader reader;
    private final int depth;

    // requests in flight, oldest at head: a ring of `depth` entries
    private final long[] seqs;
    private final int[] sizes;
    private final long[] sentAt;
    private final long[] dueAt;
    private int head;
    private int inFlight;
    private long nextSeq;

    private Pacer pacer;
    private boolean unflushed;
    private ScheduledFuture<?> paceTimer;
    private long paceTimerAt = Long.MAX_VALUE;

    RequestLoop(StreamSlot slot, RunContext run) {
        super(slot, run);
        this.reader = run.codec.newReader();
        this.depth = run.config.pipeline();
        this.seqs = new long[depth];
        this.sizes = new int[depth];
        this.sentAt = new long[depth];
        this.dueAt = new long[depth];
    }

    @Override
    void start() {
        pacer = slot.pacer(System.nanoTime());
        send(System.nanoTime());
        flush();
    }

    /** Sends every request that may go now: while the pipeline has room and (open loop) one is due. */
    private void send(long now) {
        while (inFlight < depth && run.window.running(now) && !finished) {
            long due = now;
            if (pacer != null) {
                due = pacer.nextDue();
                if (due > now) {
                    armPaceTimer(due);
                    return;
                }
                pacer.take();
            }
            long seq = nextSeq++;
            int size = run.nextSize();
            int tail = (head + inFlight) % depth;
            seqs[tail] = seq;
            sizes[tail] = size;
            sentAt[tail] = now;
            dueAt[tail] = due;
            inFlight++;
            ctx.write(run.codec.request(ctx.alloc(), seq, size), ctx.voidPromise());
            unflushed = true;
        }
    }

    private void armPaceTimer(long due) {
        if (paceTimer != null && paceTimerAt <= due) {
            return;
        }
        if (paceTimer != null) {
            paceTimer.cancel(false);
        }
        paceTimerAt = due;
        paceTimer = ctx.executor().schedule(() -> {
            paceTimer = null;
            paceTimerAt = Long.MAX_VALUE;
            send(System.nanoTime());
            flush();
        }, Math.max(0, due - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private void flush() {
        if (unflushed) {
            unflushed = false;
            ctx.flush();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            if (finished) {
                return;
            }
            long now = System.nanoTime();
            while (in.isReadable()) {
                if (inFlight == 0) {
                    fail(ErrorClass.MISMATCH, null); // bytes nobody asked for
                    return;
                }
                int verdict = reader.read(in, seqs[head], sizes[head]);
                if (verdict == MessageCodec.MISMATCH) {
                    fail(ErrorClass.MISMATCH, null);
                    return;
                }
                if (verdict == MessageCodec.PARTIAL) {
                    break;
                }
                complete(now);
            }
            send(now);
        } finally {
            in.release();
        }
    }

    private void complete(long now) {
        int i = head;
        if (run.window.counts(dueAt[i], now)) {
            recorder.record(dueAt[i], sentAt[i], now);
            run.stats.bytes.add(run.codec.replyLength(sizes[i]));
        }
        run.stats.completed.increment();
        head = (head + 1) % depth;
        inFlight--;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flush();
        ctx.fireChannelReadComplete();
    }

    /** Fails the connection when its oldest request waited longer than the timeout. */
    @Override
    void sweep() {
        long now = System.nanoTime();
        if (inFlight > 0 && now - sentAt[head] > run.timeoutNanos && run.window.running(now)) {
            fail(ErrorClass.TIMEOUT, null);
        } else if (inFlight == 0 && ready) {
            slot.healthy();
        }
    }

    @Override
    void stopped() {
        if (paceTimer != null) {
            paceTimer.cancel(false);
        }
    }
}
