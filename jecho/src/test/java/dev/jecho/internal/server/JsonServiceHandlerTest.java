package dev.jecho.internal.server;

import dev.jecho.Service;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** JSON Lines on the server: the framer and the JSON service as the pipeline has them. */
class JsonServiceHandlerTest {

    private static EmbeddedChannel channel(Service service, int maxLine) {
        return new EmbeddedChannel(new LineBasedFrameDecoder(maxLine, true, true),
                new JsonServiceHandler(service, true, maxLine));
    }

    private static String output(EmbeddedChannel ch) {
        StringBuilder sb = new StringBuilder();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            sb.append(b.toString(StandardCharsets.UTF_8));
            b.release();
        }
        return sb.toString();
    }

    private static void send(EmbeddedChannel ch, String text) {
        ch.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }

    @Test
    void eachLineIsAnsweredWithItsValueCompactOnOneLine() {
        EmbeddedChannel ch = channel(Service.ECHO, 1024);
        send(ch, "{ \"a\" : 1 }\n\"two\"\r\n[3]\n");
        assertThat(output(ch)).isEqualTo("{\"a\":1}\n\"two\"\n[3]\n");
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void upperAppliesToStringValuesOnly() {
        EmbeddedChannel ch = channel(Service.UPPER, 1024);
        send(ch, "{\"key\":\"value\"}\n");
        assertThat(output(ch)).isEqualTo("{\"key\":\"VALUE\"}\n");
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void blankLinesAreNoMessages() {
        EmbeddedChannel ch = channel(Service.ECHO, 1024);
        send(ch, "\n  \n\r\n1\n");
        assertThat(output(ch)).isEqualTo("1\n");
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aBadLineGetsAnErrorObjectAndTheConnectionGoesOn() {
        EmbeddedChannel ch = channel(Service.ECHO, 1024);
        send(ch, "{oops\n");
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {'"', (byte) 0xff, '"', '\n'}));
        send(ch, "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n");
        send(ch, "\"still here\"\n");
        String[] lines = output(ch).split("\n");
        assertThat(lines).hasSize(4);
        assertThat(lines[0]).startsWith("{\"error\":\"invalid_json\",\"detail\":");
        assertThat(lines[1]).startsWith("{\"error\":\"invalid_utf8\",\"detail\":");
        assertThat(lines[2]).startsWith("{\"error\":\"too_deep\",\"detail\":");
        assertThat(lines[3]).isEqualTo("\"still here\"");
        assertThat(ch.isOpen()).isTrue();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aLineOverTheLimitGetsAnErrorAndTheConnectionCloses() {
        EmbeddedChannel ch = channel(Service.ECHO, 64);
        send(ch, "\"ok\"\n");
        send(ch, "\"" + "x".repeat(100));
        assertThat(output(ch)).startsWith("\"ok\"\n{\"error\":\"line_too_long\",\"detail\":\"message longer than 64 bytes; closing\"}\n");
        assertThat(ch.isOpen()).isFalse();
        ch.finishAndReleaseAll();
    }
}
