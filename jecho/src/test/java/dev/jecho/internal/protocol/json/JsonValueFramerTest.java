package dev.jecho.internal.protocol.json;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonValueFramerTest {

    private static final String STREAM = "\"hello\"{\"a\":\"}{\\\"\",\"b\":[1,{}]}[\"]\"] \"x\\\\\"\"\"true 12 ";
    private static final List<String> VALUES = List.of("\"hello\"", "{\"a\":\"}{\\\"\",\"b\":[1,{}]}", "[\"]\"]",
            "\"x\\\\\"", "\"\"", "true", "12");

    private static List<String> frames(EmbeddedChannel ch) {
        List<String> out = new ArrayList<>();
        ByteBuf b;
        while ((b = ch.readInbound()) != null) {
            out.add(b.toString(StandardCharsets.UTF_8));
            b.release();
        }
        return out;
    }

    @Test
    void valuesWrittenBackToBackAreCutApart() {
        EmbeddedChannel ch = new EmbeddedChannel(new JsonValueFramer(1024));
        ch.writeInbound(Unpooled.copiedBuffer(STREAM, StandardCharsets.UTF_8));
        assertThat(frames(ch)).containsExactlyElementsOf(VALUES);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void everySplitPointGivesTheSameValues() {
        byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
        for (int split = 1; split < bytes.length; split++) {
            EmbeddedChannel ch = new EmbeddedChannel(new JsonValueFramer(1024));
            ch.writeOneInbound(Unpooled.wrappedBuffer(bytes, 0, split));
            ch.writeOneInbound(Unpooled.wrappedBuffer(bytes, split, bytes.length - split));
            ch.flushInbound();
            List<String> got = frames(ch);
            ch.finish();
            assertThat(String.join("", got).replace(" ", ""))
                    .as("split at %d", split).isEqualTo(String.join("", VALUES));
        }
    }

    @Test
    void oneByteAtATimeGivesTheSameStructuredValues() {
        EmbeddedChannel ch = new EmbeddedChannel(new JsonValueFramer(1024));
        String structured = "{\"a\":[1,\"]\"]}\"two\"[3]";
        for (byte b : structured.getBytes(StandardCharsets.UTF_8)) {
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        assertThat(frames(ch)).containsExactly("{\"a\":[1,\"]\"]}", "\"two\"", "[3]");
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aBareNumberEndsWithTheReadThatBroughtIt() {
        EmbeddedChannel ch = new EmbeddedChannel(new JsonValueFramer(1024));
        ch.writeInbound(Unpooled.copiedBuffer("123", StandardCharsets.UTF_8));
        assertThat(frames(ch)).containsExactly("123");
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aValueLongerThanTheLimitIsReportedAndTheRestDropped() {
        EmbeddedChannel ch = new EmbeddedChannel(new JsonValueFramer(16));
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.copiedBuffer("[\"" + "x".repeat(40), StandardCharsets.UTF_8)))
                .isInstanceOf(TooLongFrameException.class);
        ch.writeInbound(Unpooled.copiedBuffer("\"]\"after\"", StandardCharsets.UTF_8));
        assertThat(frames(ch)).isEmpty();
        assertThat(ch.finish()).isFalse();
    }
}
