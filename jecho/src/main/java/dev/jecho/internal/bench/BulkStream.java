package dev.jecho.internal.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

/**
 * {@code bulk} on one stream connection: writes chunks for as long as the connection takes them (until
 * Netty's write buffer is above its high-water mark, i.e. the kernel's buffers are full), reads the echo
 * back and checks every byte against its offset in the stream. Echoed bytes make the MB/s; each chunk's
 * time from write to the last byte of its echo is its latency.
 */
final class BulkStream extends SlotConnection {

    /** Chunks whose echo is awaited, at most; beyond that a chunk is counted but not timed. */
    private static final int MAX_TIMED = 1 << 20;
    /** Write rounds before yielding the event loop to reads. */
    private static final int ROUNDS = 16;

    private final Payloads payloads;
    private final int chunk;

    private long sent;
    private long echoed;
    private long[] ends = new long[64];
    private long[] times = new long[64];
    private int head;
    private int timed;
    private long lastProgress;

    private boolean writing;

    BulkStream(StreamSlot slot, RunContext run) {
        super(slot, run);
        this.payloads = run.payloads;
        this.chunk = run.config.sizeMax();
    }

    @Override
    void start() {
        lastProgress = System.nanoTime();
        write();
    }

    private void write() {
        if (writing || finished || !ready) {
            return;
        }
        writing = true;
        try {
            for (int round = 0; round < ROUNDS; round++) {
                long now = System.nanoTime();
                if (!run.window.running(now) || !ctx.channel().isWritable()) {
                    return;
                }
                if (sent == echoed) {
                    lastProgress = now;
                }
                while (ctx.channel().isWritable()) {
                    ctx.write(payloads.request(ctx.alloc(), sent, chunk), ctx.voidPromise());
                    sent += chunk;
                    remember(sent, now);
                }
                ctx.flush();
            }
            ctx.executor().execute(this::write); // still writable: go on after the reads waiting meanwhile
        } finally {
            writing = false;
        }
    }

    private void remember(long end, long now) {
        if (timed == ends.length) {
            if (timed == MAX_TIMED) {
                return;
            }
            grow();
        }
        int tail = (head + timed) & (ends.length - 1);
        ends[tail] = end;
        times[tail] = now;
        timed++;
    }

    private void grow() {
        long[] e = new long[ends.length * 2];
        long[] t = new long[ends.length * 2];
        for (int i = 0; i < timed; i++) {
            e[i] = ends[(head + i) & (ends.length - 1)];
            t[i] = times[(head + i) & (ends.length - 1)];
        }
        ends = e;
        times = t;
        head = 0;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            int n = in.readableBytes();
            if (finished || n == 0) {
                return;
            }
            if (echoed + n > sent || !payloads.matches(in, in.readerIndex(), 0, echoed, n)) {
                fail(ErrorClass.MISMATCH, null);
                return;
            }
            echoed += n;
            long now = System.nanoTime();
            lastProgress = now;
            if (now >= run.window.start() && now < run.window.end()) {
                run.stats.bytes.add(n);
            }
            run.stats.transferred.add(n);
            while (timed > 0 && ends[head] <= echoed) {
                long at = times[head];
                if (run.window.counts(at, now)) {
                    recorder.record(at, at, now);
                }
                run.stats.completed.increment();
                head = (head + 1) & (ends.length - 1);
                timed--;
            }
        } finally {
            in.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        write();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        write();
        ctx.fireChannelWritabilityChanged();
    }

    /** Fails the connection when echoes are awaited and none came for longer than the timeout. */
    @Override
    void sweep() {
        long now = System.nanoTime();
        if (sent > echoed && now - lastProgress > run.timeoutNanos && run.window.running(now)) {
            fail(ErrorClass.TIMEOUT, null);
        } else if (sent > 0) {
            slot.healthy();
        }
    }
}
