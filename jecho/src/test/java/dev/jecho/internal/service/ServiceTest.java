package dev.jecho.internal.service;

import dev.jecho.Service;
import dev.jecho.testing.Payloads;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceTest {

    private static byte[] apply(Service service, byte[] input, int offset) {
        // An offset reader index checks the in-place transform honours it.
        ByteBuf buf = Unpooled.buffer(input.length + offset);
        buf.writeZero(offset).readerIndex(offset);
        buf.writeBytes(input);
        try {
            InPlaceBytes.apply(service.inPlace(), buf);
            assertThat(buf.readerIndex()).isEqualTo(offset);
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    @Test
    void upperTurnsAsciiLettersToCapitals() {
        assertThat(new String(apply(Service.UPPER, "hello world".getBytes(StandardCharsets.US_ASCII), 0), StandardCharsets.US_ASCII))
                .isEqualTo("HELLO WORLD");
    }

    @Test
    void upperLeavesUtf8IntactAndKeepsTheLength() {
        byte[] utf8 = "straße ünïcode 你好 abc".getBytes(StandardCharsets.UTF_8);
        byte[] reply = apply(Service.UPPER, utf8, 3);
        assertThat(reply).hasSameSizeAs(utf8);
        assertThat(new String(reply, StandardCharsets.UTF_8)).isEqualTo("STRAßE üNïCODE 你好 ABC");
    }

    @Test
    void upperChangesOnlyTheBytesAToZOfAllByteValues() {
        byte[] all = new byte[256 * 3];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        assertThat(apply(Service.UPPER, all, 5)).isEqualTo(Payloads.upper(all));
    }

    @Test
    void echoReturnsTheBytesUnchanged() {
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        assertThat(apply(Service.ECHO, all, 1)).isEqualTo(all);
    }

    @Test
    void upperWorksOnCompositeAndDirectBuffers() {
        byte[] input = "hello composite world, and more".getBytes(StandardCharsets.US_ASCII);
        io.netty.buffer.CompositeByteBuf composite = Unpooled.compositeBuffer();
        composite.addComponent(true, Unpooled.copiedBuffer(input, 0, 5));
        composite.addComponent(true, Unpooled.directBuffer().writeBytes(input, 5, input.length - 5));
        InPlaceBytes.apply(Service.UPPER.inPlace(), composite);
        assertThat(ByteBufUtil.getBytes(composite)).isEqualTo(Payloads.upper(input));
        composite.release();

        ByteBuf direct = Unpooled.directBuffer(64).writeBytes(input);
        InPlaceBytes.apply(Service.UPPER.inPlace(), direct);
        assertThat(ByteBufUtil.getBytes(direct)).isEqualTo(Payloads.upper(input));
        direct.release();
    }

    @Test
    void textFormsApplyTheSameService() {
        assertThat(Service.UPPER.replyToText("déjà vu")).isEqualTo("DÉJÀ VU");
        assertThat(Service.ECHO.replyToText("déjà vu")).isEqualTo("déjà vu");
    }

    @Property(tries = 500)
    void upperMatchesTheBytewiseReference(@ForAll @Size(max = 300) byte[] input) {
        for (int offset = 0; offset < 8; offset++) {
            assertThat(apply(Service.UPPER, input, offset)).isEqualTo(Payloads.upper(input));
        }
    }

    @Property(tries = 1000)
    void wordAtATimeFlipMatchesTheBytewiseReference(@ForAll long word) {
        byte[] bytes = new byte[8];
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (word >>> (56 - 8 * i));
        }
        byte[] expected = Payloads.upper(bytes);
        long flipped = AsciiUpper.flipLowerCase(word);
        for (int i = 0; i < 8; i++) {
            assertThat((byte) (flipped >>> (56 - 8 * i))).isEqualTo(expected[i]);
        }
    }
}
