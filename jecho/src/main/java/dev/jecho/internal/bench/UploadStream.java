package dev.jecho.internal.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;

/**
 * {@code upload} on one stream connection: writes chunks for as long as the connection takes them (until
 * Netty's write buffer is above its high-water mark, i.e. the kernel's buffers are full), to a server from
 * which nothing comes back (discard). The bytes the connection accepted, those written less those still
 * queued, make the MB/s. Bytes that do come back are read and dropped; with a check they are a mismatch
 * (the server is no discard server), with {@code --check none} they are only drained, so an echo server
 * cannot stall the upload.
 */
final class UploadStream extends SlotConnection {

    /** Write rounds before yielding the event loop to reads. */
    private static final int ROUNDS = 16;

    private final Payloads payloads;
    private final int chunk;
    private long written;
    /** Bytes the connection had accepted at the last count. */
    private long accepted;
    private long lastProgress;
    private boolean writing;

    UploadStream(StreamSlot slot, RunContext run) {
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
                if (!run.window.running(System.nanoTime()) || !ctx.channel().isWritable()) {
                    return;
                }
                while (ctx.channel().isWritable()) {
                    ctx.write(payloads.request(ctx.alloc(), written / chunk, chunk), ctx.voidPromise());
                    written += chunk;
                }
                ctx.flush();
                count();
            }
            ctx.executor().execute(this::write); // still writable: go on after the reads waiting meanwhile
        } finally {
            writing = false;
        }
    }

    /** Counts what the connection accepted since the last count: written, and no longer queued. */
    private void count() {
        ChannelOutboundBuffer queued = ctx.channel().unsafe().outboundBuffer();
        long now = written - (queued == null ? 0 : queued.totalPendingWriteBytes());
        long n = now - accepted;
        if (n <= 0) {
            return;
        }
        long chunksBefore = accepted / chunk;
        accepted = now;
        long time = System.nanoTime();
        lastProgress = time;
        long chunks = accepted / chunk - chunksBefore;
        run.stats.transferred.add(n);
        run.stats.completed.add(chunks);
        if (time >= run.window.start() && time < run.window.end()) {
            run.stats.bytes.add(n);
            run.stats.counted.add(chunks);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ((ByteBuf) msg).release();
        if (payloads.checks()) {
            fail(ErrorClass.MISMATCH, null); // a discard server sends nothing back
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        count();
        write();
        ctx.fireChannelWritabilityChanged();
    }

    /** Counts progress the writability events did not show, and fails a connection nothing was accepted on for the timeout. */
    @Override
    void sweep() {
        if (finished) {
            return;
        }
        count();
        long now = System.nanoTime();
        if (written > accepted && now - lastProgress > run.timeoutNanos && run.window.running(now)) {
            fail(ErrorClass.TIMEOUT, null);
        } else if (accepted > 0) {
            slot.healthy();
        }
    }
}
