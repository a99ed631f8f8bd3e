package dev.jecho.internal.protocol.handshake;

import dev.jecho.Keyring;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** After the handshake, every tampering an on-path attacker can try closes the session. */
class SessionRecordCodecTest {

    private HandshakePair pair;

    @BeforeEach
    void establish() {
        pair = new HandshakePair(HandshakeTest.KEY.toKeyring(), HandshakeTest.KEY);
        pair.run(false);
        assertThat(pair.clientHandshake.result()).isCompleted();
    }

    @AfterEach
    void finish() {
        pair.finish();
    }

    /** Three records the client sends, captured instead of delivered. */
    private List<ByteBuf> clientRecords(String... messages) {
        List<ByteBuf> records = new ArrayList<>();
        for (String m : messages) {
            pair.client.writeOutbound(Unpooled.copiedBuffer(m, StandardCharsets.UTF_8));
            records.add(pair.client.readOutbound());
        }
        return records;
    }

    private void deliver(ByteBuf record) {
        pair.server.writeInbound(record);
    }

    private void assertSessionClosedWithBadTag() {
        assertThat(pair.server.isOpen()).isFalse();
        assertThat(pair.serverReceived).noneMatch(m -> m instanceof ByteBuf);
    }

    @Test
    void recordsInOrderArriveWhole() {
        List<ByteBuf> r = clientRecords("one", "two", "three");
        r.forEach(this::deliver);
        assertThat(HandshakePair.received(pair.serverReceived)).isEqualTo("onetwothree");
        assertThat(pair.server.isOpen()).isTrue();
    }

    @Test
    void aFlippedBitClosesTheSession() {
        ByteBuf record = clientRecords("hello").get(0);
        int i = HandshakeFormat.RECORD_HEADER_LENGTH + 1;
        record.setByte(i, record.getByte(i) ^ 0x01);
        deliver(record);
        assertSessionClosedWithBadTag();
    }

    @Test
    void aFlippedBitInTheTagClosesTheSession() {
        ByteBuf record = clientRecords("hello").get(0);
        int last = record.writerIndex() - 1;
        record.setByte(last, record.getByte(last) ^ 0x80);
        deliver(record);
        assertSessionClosedWithBadTag();
    }

    @Test
    void aDroppedRecordClosesTheSession() {
        List<ByteBuf> r = clientRecords("one", "two");
        r.get(0).release();
        deliver(r.get(1));
        assertSessionClosedWithBadTag();
    }

    @Test
    void reorderedRecordsCloseTheSession() {
        List<ByteBuf> r = clientRecords("one", "two");
        deliver(r.get(1));
        assertSessionClosedWithBadTag();
        r.get(0).release();
    }

    @Test
    void aReplayedRecordClosesTheSession() {
        ByteBuf record = clientRecords("pay me").get(0);
        ByteBuf replay = record.copy();
        deliver(record);
        assertThat(HandshakePair.received(pair.serverReceived)).isEqualTo("pay me");
        deliver(replay);
        assertSessionClosedWithBadTag();
    }

    @Test
    void aServerRecordReflectedBackToTheServerClosesTheSession() {
        pair.server.writeOutbound(Unpooled.copiedBuffer("reply", StandardCharsets.UTF_8));
        ByteBuf serverRecord = pair.server.readOutbound();
        deliver(serverRecord);
        assertSessionClosedWithBadTag();
    }

    @Test
    void aRecordLongerThanTheLimitClosesTheSessionAtItsHeader() {
        deliver(Unpooled.buffer().writeInt(HandshakeFormat.MAX_RECORD_PAYLOAD + 1));
        assertThat(pair.server.isOpen()).isFalse();
    }

    @Test
    void aRecordLengthOutOfRangeIsARecordFailureNotAMessageTooLongForTheService() {
        for (int length : new int[] {HandshakeFormat.MAX_RECORD_PAYLOAD + 1, Integer.MAX_VALUE, -1}) {
            EmbeddedChannel framer = new EmbeddedChannel(SessionRecordCodec.newFramer());
            assertThatThrownBy(() -> framer.writeInbound(Unpooled.buffer().writeInt(length).writeByte(1)))
                    .as("length %d", length).isInstanceOf(RecordException.class).hasMessageContaining("record length out of range");
            assertThat(framer.finishAndReleaseAll()).isFalse();
        }
    }

    @Test
    void aLargeWriteIsSplitIntoRecordsAndReassembled() {
        byte[] big = new byte[3 * HandshakeFormat.MAX_RECORD_PAYLOAD + 17];
        new java.util.Random(1).nextBytes(big);
        pair.client.writeOutbound(Unpooled.wrappedBuffer(big));
        HandshakePair.pump(pair.client, pair.server, false);
        ByteBuf all = Unpooled.buffer();
        for (Object m : pair.serverReceived) {
            all.writeBytes((ByteBuf) m);
            ((ByteBuf) m).release();
        }
        pair.serverReceived.clear();
        assertThat(io.netty.buffer.ByteBufUtil.getBytes(all)).isEqualTo(big);
        all.release();
    }
}
