package dev.jecho.jmh;

import dev.jecho.Service;
import dev.jecho.internal.protocol.json.JsonProblem;
import dev.jecho.internal.protocol.json.JsonTranscoder;
import dev.jecho.internal.server.JsonStages;
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

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * JSON mode's service path: parse a line, apply the service to its string values, write it back compactly.
 * {@code transcode} is the service handler's core ({@link JsonTranscoder#transcode}, pooled direct buffers
 * in and out, as on a socket); {@code pipeline} sends the line with its newline through the server's own
 * JSON stages (line framer + service handler) in an {@link EmbeddedChannel} and takes the reply out. The
 * small value is what {@code jecho bench --json-lines} sends by default (64 bytes); the large one a 4197-byte
 * document of nested objects, arrays, numbers, literals and non-ASCII strings.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 1)
public class JsonLineBenchmark {

    /** Request 42 of {@code jecho bench --json-lines} at its default size, 64 bytes. */
    static final String SMALL = "{\"n\":10000042,\"s\":\"qrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefg\"}";

    @Param({"small", "large"})
    String value;

    @Param({"echo", "upper"})
    String service;

    private byte[] text;
    private ByteBuf in;
    private ByteBuf out;
    private ByteBuf line;
    private UnaryOperator<String> strings;
    private EmbeddedChannel channel;

    /** A compact JSON document of about {@code bytes} bytes: orders with items, as a service might echo. */
    static String large(int bytes) {
        StringBuilder sb = new StringBuilder("{\"id\":12345,\"name\":\"jecho\",\"tags\":[\"echo\",\"json\",\"bench\"],"
                + "\"meta\":{\"created\":\"2026-11-26T14:01:12Z\",\"ratio\":1e-3,\"deep\":{\"a\":[1,2,[3,4,{\"b\":null}]]}},"
                + "\"items\":[");
        for (int i = 0; sb.length() < bytes - 120; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"sku\":\"A-").append(1000 + i).append("\",\"qty\":").append(i % 7 + 1)
                    .append(",\"price\":").append(12 + i % 50).append(".50,\"ok\":").append(i % 3 != 0)
                    .append(",\"note\":\"naïve café, größer ").append(i).append("\"}");
        }
        return sb.append("]}").toString();
    }

    @Setup(Level.Trial)
    public void setUp() throws JsonProblem {
        String json = value.equals("small") ? SMALL : large(4096);
        text = json.getBytes(StandardCharsets.UTF_8);
        Service s = Service.named(service);
        strings = s.inPlace() == Service.InPlace.UNCHANGED ? null : s::replyToText; // as JsonServiceHandler
        in = PooledByteBufAllocator.DEFAULT.directBuffer(text.length).writeBytes(text);
        out = PooledByteBufAllocator.DEFAULT.directBuffer(text.length * 2);
        line = PooledByteBufAllocator.DEFAULT.directBuffer(text.length + 1).writeBytes(text).writeByte('\n');
        channel = new EmbeddedChannel(JsonStages.jsonLines(s, 1024 * 1024));
        JsonTranscoder.transcode(in, out, strings); // a value the transcoder refuses would measure its error path
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        in.release();
        out.release();
        line.release();
        channel.finishAndReleaseAll();
    }

    @Benchmark
    public ByteBuf transcode() throws JsonProblem {
        out.clear();
        JsonTranscoder.transcode(in, out, strings);
        return out;
    }

    @Benchmark
    public int pipeline() {
        channel.writeInbound(line.retainedDuplicate());
        ByteBuf reply = channel.readOutbound();
        int n = reply.readableBytes();
        reply.release();
        return n;
    }
}
