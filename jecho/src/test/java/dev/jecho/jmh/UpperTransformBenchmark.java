package dev.jecho.jmh;

import dev.jecho.internal.service.InPlaceBytes;
import dev.jecho.Service;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;

/**
 * The upper service's hot path: upper-casing a pooled direct buffer in place, word at a time, against
 * the byte-at-a-time loop a first version would write. Lower-case ASCII text is the worst case (every
 * word changes).
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class UpperTransformBenchmark {

    @Param({"64", "1024", "16384"})
    int size;

    private static final Service.InPlace UPPER = Service.UPPER.inPlace();

    private ByteBuf buf;
    private byte[] text;

    @Setup(Level.Trial)
    public void setUp() {
        text = "the quick brown fox jumps over the lazy dog ".repeat(size / 44 + 1)
                .substring(0, size).getBytes(StandardCharsets.US_ASCII);
        buf = PooledByteBufAllocator.DEFAULT.directBuffer(size);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        buf.release();
    }

    private ByteBuf fresh() {
        buf.clear().writeBytes(text);
        return buf;
    }

    @Benchmark
    public ByteBuf wordAtATime() {
        ByteBuf b = fresh();
        InPlaceBytes.apply(UPPER, b); // what the server runs per read
        return b;
    }

    @Benchmark
    public ByteBuf byteAtATime() {
        ByteBuf b = fresh();
        for (int i = b.readerIndex(), end = b.writerIndex(); i < end; i++) {
            byte c = b.getByte(i);
            if (c >= 'a' && c <= 'z') {
                b.setByte(i, c - 32);
            }
        }
        return b;
    }

    @Benchmark
    public ByteBuf copyOnly() {
        return fresh();
    }
}
