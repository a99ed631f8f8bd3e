package dev.jecho.internal.server;

import dev.jecho.Service;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ByteServiceHandlerTest {

    private static String roundTrip(Service service, String... chunks) {
        EmbeddedChannel ch = new EmbeddedChannel(new ByteServiceHandler(service));
        for (String chunk : chunks) {
            ch.writeInbound(Unpooled.copiedBuffer(chunk, StandardCharsets.UTF_8));
        }
        StringBuilder out = new StringBuilder();
        ByteBuf reply;
        while ((reply = ch.readOutbound()) != null) {
            out.append(reply.toString(StandardCharsets.UTF_8));
            reply.release();
        }
        assertThat(ch.finish()).isFalse();
        return out.toString();
    }

    @Test
    void upperServiceRepliesWithTheArticlesUpperCase() {
        assertThat(roundTrip(Service.UPPER, "hello world")).isEqualTo("HELLO WORLD");
    }

    @Test
    void upperServicePassesUtf8Through() {
        assertThat(roundTrip(Service.UPPER, "ünïcode 你好 ok")).isEqualTo("üNïCODE 你好 OK");
    }

    @Test
    void everyChunkIsAnsweredInOrder() {
        assertThat(roundTrip(Service.UPPER, "ab", "cd", "ef")).isEqualTo("ABCDEF");
    }

    @Test
    void echoServiceRepliesWithTheSameBytes() {
        EmbeddedChannel ch = new EmbeddedChannel(new ByteServiceHandler(Service.ECHO));
        byte[] binary = {0, 1, (byte) 0xff, (byte) 0x80, 'a', 'z', '\n', (byte) 0xc3};
        ch.writeInbound(Unpooled.wrappedBuffer(binary));
        ByteBuf reply = ch.readOutbound();
        byte[] got = new byte[reply.readableBytes()];
        reply.readBytes(got).release();
        assertThat(got).isEqualTo(binary);
        assertThat(ch.finish()).isFalse();
    }
}
