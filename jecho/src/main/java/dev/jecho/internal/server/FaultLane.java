package dev.jecho.internal.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.ArrayDeque;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One direction of one faulty connection (the replies, or the requests): what passes, what is changed, and when it
 * goes on. At {@link #offer} a chunk is cut at a byte limit (stall, close-after, reset-after), has its bits flipped
 * (corrupt), and is given the time it may go on: latency (± jitter) from now, then each piece of it (slice, or the
 * bandwidth's quanta) after the one before, never before what came earlier (the stream keeps its order). What may
 * go on at once goes on at once; the rest waits in a queue drained by one timer on the connection's event loop.
 * Everything here runs on that loop.
 */
final class FaultLane {

    /** Where a lane's chunks go on: written towards the socket, or read into the pipeline. */
    interface Sink {
        void pass(ByteBuf piece, ChannelPromise promise);

        /** After a batch that waited: flush the writes, or end the read batch. */
        void batchDone();
    }

    /** What happens at a limit: stop passing data, end the stream, or reset it. */
    interface Limit {
        void reached();
    }

    /** Bandwidth is paced in pieces of 1/20 s, so that a large write trickles rather than waits then bursts. */
    private static final int QUANTA_PER_SECOND = 20;

    private final ChannelHandlerContext ctx;
    private final Sink sink;
    private final SplittableRandom random;
    private final FaultSpec latency;
    private final FaultSpec bandwidth;
    private final FaultSpec slice;
    private final FaultSpec corrupt;
    private final FaultSpec limit;
    private final Limit atLimit;
    private final ArrayDeque<Entry> queue = new ArrayDeque<>();
    private ScheduledFuture<?> timer;
    /** A limit in time, until it is reached or the connection goes. */
    private ScheduledFuture<?> limitTimer;
    /** When the last queued piece goes on: nothing after it goes before. */
    private long cursor = Long.MIN_VALUE;
    private long passed;
    private long untilCorrupt;
    private long queuedBytes;
    private boolean stopped;

    private record Entry(long due, Object item, ChannelPromise promise) {
    }

    FaultLane(ChannelHandlerContext ctx, Sink sink, SplittableRandom random, FaultSpec latency, FaultSpec bandwidth,
              FaultSpec slice, FaultSpec corrupt, FaultSpec limit, Limit atLimit) {
        this.ctx = ctx;
        this.sink = sink;
        this.random = random;
        this.latency = latency;
        this.bandwidth = bandwidth;
        this.slice = slice;
        this.corrupt = corrupt;
        this.limit = limit;
        this.atLimit = atLimit;
        this.untilCorrupt = corrupt == null ? Long.MAX_VALUE : corrupt.bytes();
    }

    /** Starts the clock of a limit in time, or applies a limit of 0 bytes; call when the connection is active. */
    void start() {
        if (limit == null) {
            return;
        }
        if (limit.time() != null) {
            limitTimer = ctx.executor().schedule(this::reachLimit, limit.time().toNanos(), TimeUnit.NANOSECONDS);
        } else if (limit.bytes() == 0) {
            reachLimit();
        }
    }

    private void reachLimit() {
        if (!stopped) {
            stopped = true;
            then(atLimit::reached);
        }
    }

    /** Bytes held back, not yet passed on. */
    long queuedBytes() {
        return queuedBytes;
    }

    boolean idle() {
        return queue.isEmpty();
    }

    /** A chunk of the stream; {@code promise} (may be null) completes once all of it has gone on, or been dropped. */
    void offer(ByteBuf buf, ChannelPromise promise) {
        if (stopped) {
            buf.release();
            succeed(promise);
            return;
        }
        boolean atLimitNow = false;
        if (limit != null && limit.bytes() > 0 && buf.readableBytes() >= limit.bytes() - passed) {
            int keep = (int) (limit.bytes() - passed);
            if (keep < buf.readableBytes()) {
                ByteBuf kept = buf.readRetainedSlice(keep);
                buf.release();
                buf = kept;
            }
            atLimitNow = true;
        }
        passed += buf.readableBytes();
        if (corrupt != null) {
            buf = corrupt(buf);
        }
        schedule(buf, promise);
        if (atLimitNow) {
            reachLimit();
        }
    }

    /** Runs {@code action} once everything offered before it has gone on. */
    void then(Runnable action) {
        if (queue.isEmpty()) {
            action.run();
        } else {
            enqueue(Math.max(cursor, now()), action, null);
        }
    }

    private void succeed(ChannelPromise promise) {
        if (promise != null) {
            promise.trySuccess();
        }
    }

    /** One bit flipped at every {@code corrupt.bytes()}-th byte of the stream, which bit drawn from the seed. */
    private ByteBuf corrupt(ByteBuf buf) {
        int n = buf.readableBytes();
        if (n < untilCorrupt) {
            untilCorrupt -= n;
            return buf;
        }
        // A copy: the bytes may be shared (a reply's slice of a constant), and only this connection's copy changes.
        ByteBuf copy = ctx.alloc().buffer(n).writeBytes(buf);
        buf.release();
        long at = untilCorrupt - 1;
        while (at < n) {
            int i = copy.readerIndex() + (int) at;
            copy.setByte(i, copy.getByte(i) ^ (1 << random.nextInt(8)));
            at += corrupt.bytes();
        }
        untilCorrupt = at - n + 1;
        return copy;
    }

    private void schedule(ByteBuf buf, ChannelPromise promise) {
        long now = now();
        long ready = latency == null ? now : now + latency.delayNanos(random);
        ready = Math.max(ready, cursor);
        if ((slice == null && bandwidth == null) || !buf.isReadable()) {
            enqueue(ready, buf, promise);
            return;
        }
        boolean first = true;
        while (buf.isReadable()) {
            int size = slice != null
                    ? (int) (slice.bytes() + random.nextLong(slice.bytesMax() - slice.bytes() + 1))
                    : (int) Math.max(1, Math.min(64 * 1024, bandwidth.bytes() / QUANTA_PER_SECOND));
            ByteBuf piece = buf.readRetainedSlice(Math.min(size, buf.readableBytes()));
            if (slice != null && !first) {
                ready += slice.time().toNanos();
            }
            if (bandwidth != null) {
                ready += piece.readableBytes() * 1_000_000_000L / bandwidth.bytes();
            }
            first = false;
            enqueue(ready, piece, buf.isReadable() ? null : promise);
        }
        buf.release();
    }

    private void enqueue(long due, Object item, ChannelPromise promise) {
        cursor = due;
        if (queue.isEmpty() && due - now() <= 0) {
            go(item, promise);
            return;
        }
        if (item instanceof ByteBuf b) {
            queuedBytes += b.readableBytes();
        }
        queue.add(new Entry(due, item, promise));
        if (timer == null) {
            arm();
        }
    }

    private void arm() {
        Entry head = queue.peek();
        timer = head == null ? null
                : ctx.executor().schedule(this::drainDue, Math.max(0, head.due - now()), TimeUnit.NANOSECONDS);
    }

    private void drainDue() {
        timer = null;
        long now = now();
        boolean any = false;
        Entry e;
        while ((e = queue.peek()) != null && e.due - now <= 0) {
            queue.poll();
            if (e.item instanceof ByteBuf b) {
                queuedBytes -= b.readableBytes();
                any = true;
            } else if (any) {
                sink.batchDone(); // what came before an action goes on before it
                any = false;
            }
            go(e.item, e.promise);
        }
        if (any) {
            sink.batchDone();
        }
        arm();
    }

    private void go(Object item, ChannelPromise promise) {
        if (item instanceof ByteBuf b) {
            sink.pass(b, promise);
        } else {
            ((Runnable) item).run();
        }
    }

    /** The connection is gone: drops what waits. */
    void discard() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        if (limitTimer != null) {
            limitTimer.cancel(false); // a long stall=1h must not keep a closed connection in memory that long
        }
        stopped = true;
        Entry e;
        while ((e = queue.poll()) != null) {
            if (e.item instanceof ByteBuf b) {
                b.release();
            }
            if (e.promise != null) {
                e.promise.tryFailure(new java.nio.channels.ClosedChannelException());
            }
        }
        queuedBytes = 0;
    }

    /** The event loop's clock: a test's frozen one too. */
    private long now() {
        return ctx.executor().ticker().nanoTime();
    }
}
