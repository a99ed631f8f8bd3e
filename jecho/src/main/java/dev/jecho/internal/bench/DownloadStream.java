package dev.jecho.internal.bench;

import dev.jecho.Service;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;

import java.nio.ByteBuffer;

/**
 * {@code download} on one stream connection: sends nothing, reads what the server sends unasked (chargen),
 * as fast as it comes: the bytes read make the MB/s, the reads the count. With a check, every byte is
 * compared with the service's output at its offset in the stream (with auto, the first bytes of the run
 * decide which registered service's output it is). Nothing for longer than the timeout is a timeout error.
 */
final class DownloadStream extends SlotConnection {

    private final Payloads payloads;
    private long received;
    private long lastProgress;
    /** The service's output for the bytes just read, to compare with them; grown to the longest read. */
    private ByteBuffer expected = ByteBuffer.allocate(0);
    private ByteBuf expectedView = Unpooled.EMPTY_BUFFER;

    DownloadStream(StreamSlot slot, RunContext run) {
        super(slot, run);
        this.payloads = run.payloads;
    }

    @Override
    void start() {
        lastProgress = System.nanoTime();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            int n = in.readableBytes();
            if (finished || n == 0) {
                return;
            }
            if (payloads.checks() && !checked(in, n)) {
                fail(ErrorClass.MISMATCH, null);
                return;
            }
            received += n;
            long now = System.nanoTime();
            lastProgress = now;
            run.stats.transferred.add(n);
            run.stats.completed.increment();
            if (now >= run.window.start() && now < run.window.end()) {
                run.stats.bytes.add(n);
                run.stats.counted.increment();
            }
        } finally {
            in.release();
        }
    }

    /** Whether the bytes read are the output at this offset, of the run's service (learned from the first ones). */
    private boolean checked(ByteBuf in, int n) {
        Service service = payloads.applied();
        if (service == null) {
            service = payloads.learn(s -> received == 0 && same(s, in, n));
            return service != null && same(service, in, n);
        }
        return same(service, in, n);
    }

    private boolean same(Service service, ByteBuf in, int n) {
        if (expected.capacity() < n) {
            expected = ByteBuffer.allocate(Math.max(n, 2 * expected.capacity()));
            expectedView = Unpooled.wrappedBuffer(expected);
        }
        expected.clear().limit(n);
        service.output().fill(received, expected);
        return ByteBufUtil.equals(in, in.readerIndex(), expectedView, 0, n);
    }

    @Override
    void sweep() {
        long now = System.nanoTime();
        if (!finished && now - lastProgress > run.timeoutNanos && run.window.running(now)) {
            fail(ErrorClass.TIMEOUT, null);
        } else if (received > 0) {
            slot.healthy();
        }
    }
}
