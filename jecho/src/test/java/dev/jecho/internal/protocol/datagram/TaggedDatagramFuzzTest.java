package dev.jecho.internal.protocol.datagram;

import dev.jecho.Keyring;
import dev.jecho.internal.keys.SharedKey;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Generated datagrams: anything that is not a sealed request is rejected, never answered, never thrown past. */
class TaggedDatagramFuzzTest {

    private static final SharedKey KEY = new SharedKey("k", fill(0x33));

    private static byte[] fill(int v) {
        byte[] b = new byte[32];
        Arrays.fill(b, (byte) v);
        return b;
    }

    @Provide
    Arbitrary<byte[]> datagrams() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
        Arbitrary<byte[]> withHeader = Arbitraries.bytes().array(byte[].class).ofMaxSize(150).map(tail -> {
            byte[] b = new byte[6 + tail.length];
            System.arraycopy(TaggedDatagram.MAGIC, 0, b, 0, 4);
            b[4] = TaggedDatagram.VERSION;
            b[5] = TaggedDatagram.REQUEST;
            System.arraycopy(tail, 0, b, 6, tail.length);
            return b;
        });
        return Arbitraries.oneOf(random, withHeader);
    }

    @Property(tries = 500)
    void arbitraryBytesAreRejected(@ForAll("datagrams") byte[] datagram) {
        ByteBuf in = Unpooled.wrappedBuffer(datagram);
        try {
            assertThatThrownBy(() -> TaggedDatagram.open(in, KEY.toKeyring(), new ReplayWindow(30_000, 100), 1_000_000L))
                    .isInstanceOf(TaggedDatagram.RejectedException.class);
        } finally {
            in.release();
        }
    }

    @Property(tries = 300)
    void anySingleFlippedBitOfASealedRequestIsRejected(@ForAll @IntRange(min = 0, max = 8 * 80 - 1) int bit) {
        ByteBuf sealed = TaggedDatagram.seal(ByteBufAllocator.DEFAULT, KEY, 1_000_000L, new byte[16], "payload".getBytes());
        try {
            int index = (bit / 8) % sealed.readableBytes();
            sealed.setByte(index, sealed.getByte(index) ^ (1 << (bit % 8)));
            assertThatThrownBy(() -> TaggedDatagram.open(sealed, KEY.toKeyring(), new ReplayWindow(30_000, 100), 1_000_000L))
                    .isInstanceOf(TaggedDatagram.RejectedException.class);
        } finally {
            sealed.release();
        }
    }

    @Property(tries = 50)
    void anUntouchedSealedRequestIsAccepted(@ForAll @IntRange(max = 2000) int payloadLength) {
        byte[] nonce = Arrays.copyOf(fill(payloadLength & 0xff), 16);
        ByteBuf sealed = TaggedDatagram.seal(ByteBufAllocator.DEFAULT, KEY, 1_000_000L, nonce, new byte[payloadLength]);
        try {
            TaggedDatagram.Request r;
            try {
                r = TaggedDatagram.open(sealed, KEY.toKeyring(), new ReplayWindow(30_000, 100), 1_000_000L);
            } catch (TaggedDatagram.RejectedException e) {
                throw new AssertionError(e.rejection().toString());
            }
            assertThat(r.payloadLength()).isEqualTo(payloadLength);
        } finally {
            sealed.release();
        }
    }
}
