package dev.jecho.jmh;

import dev.jecho.internal.protocol.handshake.HandshakeCrypto;
import dev.jecho.internal.protocol.handshake.SessionRecordCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The protected session's per-message cost: {@code seal} is one message through {@link SessionRecordCodec}'s
 * write (length, payload copy, HMAC-SHA256 tag over sequence number, length and payload); {@code sealAndOpen}
 * also passes the record through the receiving side's framer and codec (tag checked in constant time,
 * payload sliced out); {@code hmacOnly} is the tag alone, the floor under both. Messages above 64 KiB would
 * be split into several records.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 1)
public class SessionRecordBenchmark {

    @Param({"64", "1024", "16384", "65536"})
    int size;

    private ByteBuf payload;
    private EmbeddedChannel sender;
    private EmbeddedChannel receiver;
    private SecretKeySpec tagKey;
    private long sequence;

    @Setup(Level.Trial)
    public void setUp() {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) 0x42);
        byte[] nonce = new byte[32];
        byte[] transcript = HandshakeCrypto.transcript(nonce, nonce, "bench", new byte[0]);
        HandshakeCrypto.SessionKeys keys = HandshakeCrypto.sessionKeys(new SecretKeySpec(k, "HmacSHA256"), nonce, nonce, transcript);
        tagKey = keys.clientToServer();
        sender = new EmbeddedChannel(SessionRecordCodec.forClient(keys));
        receiver = new EmbeddedChannel(SessionRecordCodec.newFramer(), SessionRecordCodec.forServer(keys));
        payload = PooledByteBufAllocator.DEFAULT.directBuffer(size);
        for (int i = 0; i < size; i++) {
            payload.writeByte('a' + i % 26);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        payload.release();
        sender.finishAndReleaseAll();
        receiver.finishAndReleaseAll();
    }

    @Benchmark
    public int seal() {
        sender.writeOutbound(payload.retainedDuplicate());
        ByteBuf record = sender.readOutbound();
        int n = record.readableBytes();
        record.release();
        return n;
    }

    @Benchmark
    public int sealAndOpen() {
        sender.writeOutbound(payload.retainedDuplicate());
        receiver.writeInbound((ByteBuf) sender.readOutbound());
        ByteBuf message = receiver.readInbound();
        int n = message.readableBytes();
        message.release();
        return n;
    }

    @Benchmark
    public byte[] hmacOnly() {
        Mac mac = HandshakeCrypto.mac(tagKey);
        long seq = sequence++;
        for (int shift = 56; shift >= 0; shift -= 8) {
            mac.update((byte) (seq >>> shift));
        }
        for (int shift = 24; shift >= 0; shift -= 8) {
            mac.update((byte) (size >>> shift));
        }
        mac.update(payload.nioBuffer(payload.readerIndex(), size));
        return mac.doFinal();
    }
}
