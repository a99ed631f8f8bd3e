package dev.jecho;

import dev.jecho.internal.transport.NettyTransport;
import dev.jecho.testing.StreamClient;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.epoll.Epoll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A client writes 1 GiB and reads nothing. The server stops reading from it once its unsent replies pass
 * the write high-water mark, so what it holds for the client stays below the stated bound (high-water mark
 * plus one read of at most 64 KiB, plus Netty's per-message bookkeeping), its heap and its pooled memory stay
 * flat, and the client's writes stall in the kernel. Then the client reads: every byte comes back, in order.
 *
 * <p>The stream is a sequence of 8-byte counters, so a lost, repeated or reordered chunk shows at once.
 * A small water mark (32 KiB) keeps the test quick on loopback; the bound scales with it.
 */
class SlowReaderTest {

    /** One read: Netty's adaptive receive buffer grows to at most 64 KiB. */
    static final int MAX_READ = 64 * 1024;
    /** Netty counts 96 bytes of bookkeeping per queued message; at most two messages cross the mark. */
    static final int OVERHEAD = 2 * 96;

    /** The stated bound: the high-water mark, plus one read, plus per-message overhead. */
    static long bound(int highWaterMark) {
        return highWaterMark + MAX_READ + OVERHEAD;
    }

    @Test
    void aClientThatWritesOneGibAndNeverReadsCostsTheServerAtMostTheHighWaterMarkPlusOneRead(TestReporter report) throws Exception {
        run(16 * 1024, 32 * 1024, 1L << 30, report);
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"EPOLL", "IO_URING", "NIO"})
    void withTheDefaultWaterMarksTheBoundIs128KibPerNeverReadingClientOnEveryTransport(Transport transport, TestReporter report) throws Exception {
        assumeTrue(transport != Transport.EPOLL || Epoll.isAvailable(), "epoll not available");
        assumeTrue(NettyTransport.available(transport), transport.cliName() + " is not available here");
        assertThat(bound(ServerConfig.DEFAULT_WRITE_BUFFER_HIGH)).isEqualTo(128 * 1024 + OVERHEAD);
        run(transport, ServerConfig.DEFAULT_WRITE_BUFFER_LOW, ServerConfig.DEFAULT_WRITE_BUFFER_HIGH, 64L << 20, report);
    }

    private void run(int low, int high, long total, TestReporter report) throws Exception {
        run(Transport.AUTO, low, high, total, report);
    }

    private void run(Transport transport, int low, int high, long total, TestReporter report) throws Exception {
        long bound = bound(high);
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).service(Service.ECHO).transport(transport)
                .writeBufferWaterMarks(low, high).slowClientTimeout(Duration.ofMinutes(5)).logConnections(false).start();
             StreamClient client = StreamClient.connect(server.boundEndpoints().get(0))) {
            long heapBefore = usedHeapAfterGc(memory);
            long pooledBefore = pooledDirectMemory();

            AtomicLong written = new AtomicLong();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> write(client, written, total));

            AtomicBoolean sampling = new AtomicBoolean(true);
            AtomicLong largestPending = new AtomicLong();
            AtomicLong largestPooled = new AtomicLong();
            Thread sampler = new Thread(() -> {
                while (sampling.get()) {
                    largestPending.accumulateAndGet(server.stats().largestPendingReplyBytes(), Math::max);
                    largestPooled.accumulateAndGet(pooledDirectMemory(), Math::max);
                    java.util.concurrent.locks.LockSupport.parkNanos(20_000);
                }
            }, "pending-sampler");
            sampler.start();

            // 1. the writer stalls: the server stopped reading and the kernel buffers are full
            long stalledAt = awaitStall(written);
            assertThat(stalledAt).as("bytes the client could write without reading").isLessThan(Math.min(total / 2, 64L << 20));
            long heapStalled = usedHeapAfterGc(memory);
            long pendingStalled = server.stats().largestPendingReplyBytes();
            assertThat(pendingStalled).as("replies the server holds for the stalled client")
                    .isGreaterThan(low).isLessThanOrEqualTo(bound);

            // 2. the client reads: all 1 GiB comes back in order, the writer finishes
            long read = readAndVerify(client, total);
            writer.get(120, TimeUnit.SECONDS);
            sampling.set(false);
            sampler.join();
            long heapAfter = usedHeapAfterGc(memory);

            assertThat(read).isEqualTo(total);
            assertThat(largestPending.get()).as("largest pending replies seen").isLessThanOrEqualTo(bound);
            assertThat(heapStalled - heapBefore).as("heap growth while stalled").isLessThan(16L << 20);
            assertThat(heapAfter - heapBefore).as("heap growth after 1 GiB").isLessThan(16L << 20);
            assertThat(largestPooled.get() - pooledBefore).as("Netty pooled direct memory growth").isLessThan(16L << 20);
            String figures = String.format("slow reader, %s, %d bytes, water marks %d/%d: client stalled after writing %d bytes; server held %d reply bytes"
                            + " while stalled, at most %d over the whole run (bound %d); heap growth %d / %d bytes; pooled direct growth %d bytes",
                    server.transport(), total, low, high, stalledAt, pendingStalled, largestPending.get(), bound, heapStalled - heapBefore, heapAfter - heapBefore,
                    largestPooled.get() - pooledBefore);
            report.publishEntry("figures", figures);
            System.out.println(figures);
        }
    }

    private static void write(StreamClient client, AtomicLong written, long total) {
        ByteBuffer chunk = ByteBuffer.allocateDirect(64 * 1024);
        long counter = 0;
        try {
            while (written.get() < total) {
                chunk.clear();
                while (chunk.hasRemaining()) {
                    chunk.putLong(counter++);
                }
                chunk.flip();
                while (chunk.hasRemaining()) {
                    written.addAndGet(client.channel().write(chunk));
                }
            }
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }

    /** Waits until the writer has made no progress for half a second; returns what it had written. */
    private static long awaitStall(AtomicLong written) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long last = -1;
        while (System.nanoTime() < deadline) {
            long now = written.get();
            if (now == last && now > 0) {
                return now;
            }
            last = now;
            Thread.sleep(500);
        }
        throw new AssertionError("the writer never stalled: the server kept reading from a client that does not read");
    }

    private static long readAndVerify(StreamClient client, long total) throws Exception {
        ByteBuffer buf = ByteBuffer.allocateDirect(256 * 1024);
        long expected = 0;
        long read = 0;
        while (read < total) {
            int n = client.channel().read(buf);
            if (n < 0) {
                throw new AssertionError("end of stream after " + read + " bytes");
            }
            read += n;
            buf.flip();
            while (buf.remaining() >= 8) {
                long got = buf.getLong();
                if (got != expected) {
                    throw new AssertionError("at byte " + (expected * 8) + ": expected counter " + expected + ", got " + got);
                }
                expected++;
            }
            buf.compact();
        }
        return read;
    }

    private static long usedHeapAfterGc(MemoryMXBean memory) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(20);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static long pooledDirectMemory() {
        return PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory(); // the allocator the server's channels use
    }
}
