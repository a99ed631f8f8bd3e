package dev.jecho.internal.protocol.handshake;

import dev.jecho.Keyring;
import dev.jecho.LegacyDigest;
import dev.jecho.internal.keys.SharedKey;
import dev.jecho.internal.protocol.ConnectionEvents;
import dev.jecho.testing.FuzzCorpus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Generated input for the decoders of an authenticated connection that {@link HandshakeFuzzTest} does not
 * cover, in the OSS-Fuzz manner (bytes into EmbeddedChannels in arbitrary segments, then
 * finishAndReleaseAll; the leak detector runs at PARANOID): the session record layer after a handshake, the
 * article's legacy handshake on the server, and the client's side of the jecho handshake facing whatever a
 * server (or something posing as one) sends. Each has a stored corpus replayed whole, in 7-byte segments
 * and one byte at a time.
 */
class SessionFuzzTest {

    private static final SharedKey KEY = HandshakeTest.KEY;

    private static void feed(EmbeddedChannel ch, byte[] input, int segment) {
        for (int i = 0; i < input.length && ch.isOpen(); i += segment) {
            ch.writeInbound(Unpooled.wrappedBuffer(input, i, Math.min(segment, input.length - i)));
        }
    }

    private static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }

    // --- session records ---------------------------------------------------------------------------------

    /** What the server's record layer did with bytes arriving after a successful handshake. */
    record RecordOutcome(boolean open, byte[] delivered, boolean failed) {
    }

    private static RecordOutcome records(byte[] input, int segment) {
        HandshakePair pair = new HandshakePair(KEY.toKeyring(), KEY);
        pair.run(false);
        assertThat(pair.clientHandshake.result()).isCompleted();
        List<Throwable> failures = new ArrayList<>();
        pair.server.pipeline().addAfter(dev.jecho.internal.protocol.PipelineNames.RECORDS, "failures", new io.netty.channel.ChannelInboundHandlerAdapter() {
            @Override
            public void exceptionCaught(io.netty.channel.ChannelHandlerContext ctx, Throwable cause) {
                failures.add(cause);
                ctx.fireExceptionCaught(cause);
            }
        });
        feed(pair.server, input, segment);
        boolean failed = !failures.isEmpty() && failures.stream().allMatch(e -> e instanceof RecordException);
        RecordOutcome outcome = new RecordOutcome(pair.server.isOpen(),
                bytesOf(pair.serverReceived), failed);
        pair.finish();
        pair.server.checkException();
        return outcome;
    }

    /** Bytes that may still become one whole record: shorter than the header, or than the record it announces. */
    private static boolean mayStillBeARecord(byte[] input) {
        if (input.length < HandshakeFormat.RECORD_HEADER_LENGTH) {
            return true;
        }
        int length = ByteBuffer.wrap(input).getInt();
        return length >= 0 && length <= HandshakeFormat.MAX_RECORD_PAYLOAD
                && input.length < HandshakeFormat.RECORD_HEADER_LENGTH + length + HandshakeFormat.RECORD_TAG_LENGTH;
    }

    private static void checkRecords(byte[] input, int segment) {
        RecordOutcome o = records(input, segment);
        assertThat(o.delivered()).as("nothing without the session key gets through").isEmpty();
        if (o.open()) {
            assertThat(mayStillBeARecord(input)).as("open only while waiting for the rest of a record").isTrue();
        } else {
            assertThat(o.failed()).as("closed with a record failure, and nothing else").isTrue();
        }
    }

    @Provide
    Arbitrary<byte[]> recordish() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(400);
        Arbitrary<byte[]> framed = Arbitraries.integers().between(0, 300).flatMap(length ->
                Arbitraries.bytes().array(byte[].class).ofMaxSize(length + 40).map(rest -> {
                    byte[] b = new byte[4 + rest.length];
                    ByteBuffer.wrap(b).putInt(length).put(rest);
                    return b;
                }));
        return Arbitraries.oneOf(random, framed);
    }

    @Property(tries = 300, seed = "20261126")
    void bytesWithoutTheSessionKeyNeverReachTheServiceAndEndTheSession(@ForAll("recordish") byte[] input,
                                                                       @ForAll @IntRange(min = 1, max = 50) int segment) {
        checkRecords(input, segment);
    }

    @Property(tries = 200, seed = "20261126")
    void oneFlippedBitStopsDeliveryAtTheRecordItHits(@ForAll @Size(min = 1, max = 5) List<@Size(min = 1, max = 200) byte[]> messages,
                                                     @ForAll @IntRange(min = 0, max = 1 << 20) int where,
                                                     @ForAll @IntRange(min = 1, max = 64) int segment) {
        HandshakePair pair = new HandshakePair(KEY.toKeyring(), KEY);
        pair.run(false);
        List<byte[]> sealed = new ArrayList<>();
        for (byte[] m : messages) {
            pair.client.writeOutbound(Unpooled.wrappedBuffer(m));
            sealed.add(HandshakePair.drain(pair.client));
        }
        byte[] all = concat(sealed);
        int bit = where % (all.length * 8);
        all[bit / 8] ^= (byte) (1 << (bit % 8));
        int hit = 0;
        int recordStart = 0;
        while (recordStart + sealed.get(hit).length <= bit / 8) {
            recordStart += sealed.get(hit).length;
            hit++;
        }
        ByteArrayOutputStream before = new ByteArrayOutputStream();
        for (int i = 0; i < hit; i++) {
            before.writeBytes(messages.get(i));
        }
        feed(pair.server, all, segment);
        byte[] delivered = bytesOf(pair.serverReceived);
        assertThat(delivered).as("the records before the damaged one, and nothing from it on").isEqualTo(before.toByteArray());
        if (pair.server.isOpen()) {
            assertThat(bit / 8 - recordStart).as("still open only if the damage is in a length, now waiting for more")
                    .isLessThan(HandshakeFormat.RECORD_HEADER_LENGTH);
        }
        pair.finish();
        pair.server.checkException();
    }

    @Test
    void theStoredRecordCorpusIsHandledLikeAnyInput() {
        List<byte[]> corpus = FuzzCorpus.load("records");
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(8);
        for (byte[] input : corpus) {
            for (int segment : new int[] {1, 7, Math.max(1, input.length)}) {
                checkRecords(input, segment);
            }
        }
    }

    // --- the legacy handshake, server side -----------------------------------------------------------------

    private static final SharedKey SALT = new SharedKey("", "SOCKET SERVER".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

    /** The nonce the server sent, its events, and what passed through it. */
    record LegacyOutcome(boolean open, List<Object> events, byte[] passedOn) {
    }

    private static LegacyOutcome legacy(LegacyDigest digest, byte[] nonceToAnswer, byte[] input, int segment) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        List<Object> events = new ArrayList<>();
        List<Object> received = new ArrayList<>();
        ch.pipeline().addLast(new HandshakePair.Recorder(events, null));
        ch.pipeline().addLast(new LegacyServerHandshake(SALT.toKeyring(), digest, HandshakePair.DEADLINE));
        ch.pipeline().addLast(new HandshakePair.Recorder(new ArrayList<>(), received));
        ch.pipeline().fireChannelActive();
        byte[] nonce = HandshakePair.drain(ch);
        assertThat(nonce).hasSize(LegacyServerHandshake.NONCE_LENGTH);
        byte[] bytes = input;
        if (nonceToAnswer != null) { // prefix the right digest of the nonce the server really sent
            byte[] answer = digest.hmac(SALT.secret(), nonce);
            bytes = concat(List.of(answer, input));
        }
        feed(ch, bytes, segment);
        byte[] after = HandshakePair.drain(ch);
        assertThat(after).as("the legacy server never writes after its nonce (no failure byte: it would be read as JSON)").isEmpty();
        LegacyOutcome o = new LegacyOutcome(ch.isOpen(), List.copyOf(events),
                bytesOf(received));
        ch.finishAndReleaseAll();
        ch.checkException();
        return o;
    }

    private static void checkLegacy(LegacyDigest digest, byte[] input, int segment) {
        LegacyOutcome o = legacy(digest, null, input, segment);
        assertThat(o.passedOn()).isEmpty();
        if (input.length < digest.length()) {
            assertThat(o.open()).isTrue();
            assertThat(o.events()).isEmpty();
        } else {
            assertThat(o.open()).isFalse();
            assertThat(o.events()).containsExactly(new ConnectionEvents.AuthenticationFailed("bad_proof"));
        }
    }

    @Property(tries = 300, seed = "20261126")
    void anyAnswerButTheDigestIsRefusedWithoutAWord(@ForAll @Size(max = 200) byte[] input,
                                                    @ForAll @IntRange(min = 1, max = 40) int segment,
                                                    @ForAll LegacyDigest digest) {
        checkLegacy(digest, input, segment);
    }

    @Property(tries = 100, seed = "20261126")
    void theRightDigestAuthenticatesAndEveryByteAfterItPassesOn(@ForAll @Size(max = 300) byte[] after,
                                                               @ForAll @IntRange(min = 1, max = 40) int segment,
                                                               @ForAll LegacyDigest digest) {
        LegacyOutcome o = legacy(digest, new byte[0], after, segment);
        assertThat(o.open()).isTrue();
        assertThat(o.events()).containsExactly(new ConnectionEvents.Authenticated(""));
        assertThat(o.passedOn()).isEqualTo(after);
    }

    @Test
    void theStoredLegacyCorpusIsHandledLikeAnyInput() {
        List<byte[]> corpus = FuzzCorpus.load("legacy-handshake");
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(6);
        for (byte[] input : corpus) {
            for (LegacyDigest digest : LegacyDigest.values()) {
                for (int segment : new int[] {1, 7, Math.max(1, input.length)}) {
                    checkLegacy(digest, input, segment);
                }
            }
        }
    }

    // --- the jecho handshake, client side -----------------------------------------------------------------

    private static void checkClient(byte[] serverBytes, int segment) throws Exception {
        ClientHandshakeHandler handshake = new ClientHandshakeHandler(KEY, "tcp://test:1");
        List<Object> received = new ArrayList<>();
        EmbeddedChannel client = new EmbeddedChannel();
        client.pipeline().addLast("handshake", handshake);
        client.pipeline().addLast(new HandshakePair.Recorder(new ArrayList<>(), received));
        feed(client, serverBytes, segment);
        byte[] sent = HandshakePair.drain(client);
        assertThat(handshake.result()).as("no server without the key gets a session").isNotCompleted();
        if (handshake.result().isCompletedExceptionally()) {
            assertThatThrownBy(() -> handshake.result().get()).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(HandshakeException.class);
            assertThat(client.isOpen()).as("the client closes on a failed handshake").isFalse();
        }
        int auth = HandshakeFormat.CLIENT_AUTH_PREFIX + KEY.id().length() + HandshakeFormat.NONCE_LENGTH + HandshakeFormat.PROOF_LENGTH;
        assertThat(sent.length).as("the client sends its auth message at most, never a message").isIn(0, auth);
        assertThat(received).as("nothing passes the client's handshake").isEmpty();
        client.finishAndReleaseAll();
        client.checkException();
    }

    @Provide
    Arbitrary<byte[]> fromAServer() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(120);
        Arbitrary<byte[]> afterHello = Arbitraries.bytes().array(byte[].class).ofMaxSize(80).map(tail -> {
            byte[] b = new byte[HandshakeFormat.SERVER_HELLO_LENGTH + tail.length];
            System.arraycopy(HandshakeFormat.MAGIC, 0, b, 0, 4);
            b[4] = HandshakeFormat.VERSION;
            System.arraycopy(tail, 0, b, HandshakeFormat.SERVER_HELLO_LENGTH, tail.length);
            return b;
        });
        return Arbitraries.oneOf(random, afterHello);
    }

    @Property(tries = 300, seed = "20261126")
    void whateverAServerSendsTheClientNeverSendsAMessageWithoutItsProof(@ForAll("fromAServer") byte[] serverBytes,
                                                                        @ForAll @IntRange(min = 1, max = 40) int segment) throws Exception {
        checkClient(serverBytes, segment);
    }

    @Test
    void theStoredClientCorpusIsHandledLikeAnyInput() throws Exception {
        List<byte[]> corpus = FuzzCorpus.load("client-handshake");
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(8);
        for (byte[] input : corpus) {
            for (int segment : new int[] {1, 7, Math.max(1, input.length)}) {
                checkClient(input, segment);
            }
        }
    }

    /** The bytes of every buffer received, released. */
    private static byte[] bytesOf(List<Object> received) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object m : received) {
            ByteBuf b = (ByteBuf) m;
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes).release();
            out.writeBytes(bytes);
        }
        received.clear();
        return out.toByteArray();
    }
}
