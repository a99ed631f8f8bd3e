package dev.jecho.internal.protocol.handshake;

import dev.jecho.Keyring;
import dev.jecho.internal.protocol.ConnectionEvents;
import dev.jecho.testing.FuzzCorpus;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generated input for the server's handshake decoder, in the manner of OSS-Fuzz's Netty harnesses:
 * bytes into an EmbeddedChannel, then finishAndReleaseAll. Whatever arrives, no exception escapes, no
 * buffer leaks, and the connection is either still waiting for a whole auth message or was closed after
 * the hello and the one failure byte, with a documented reason.
 */
class HandshakeFuzzTest {

    /** Every reason the server's handshakes report; docs/protocol.md's table names exactly these. */
    static final Set<String> REASONS = Set.of("bad_magic", "bad_version", "bad_format", "unknown_key", "bad_proof",
            "truncated", "disconnected", "timeout");

    @Provide
    Arbitrary<byte[]> inputs() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
        // Mostly well-formed prefixes, to get past the magic and version checks.
        Arbitrary<byte[]> framed = Arbitraries.bytes().array(byte[].class).ofMaxSize(160).map(tail -> {
            byte[] b = new byte[5 + tail.length];
            System.arraycopy(HandshakeFormat.MAGIC, 0, b, 0, 4);
            b[4] = HandshakeFormat.VERSION;
            System.arraycopy(tail, 0, b, 5, tail.length);
            return b;
        });
        return Arbitraries.oneOf(random, framed);
    }

    @Property(tries = 400)
    void anyBytesAreServedOrClosedWithTheDocumentedFailure(@ForAll("inputs") byte[] input, @ForAll @IntRange(min = 1, max = 40) int segment) {
        check(input, segment);
    }

    @Test
    void theStoredCorpusIsHandledLikeAnyInput() {
        List<byte[]> corpus = FuzzCorpus.load("handshake");
        assertThat(corpus).hasSizeGreaterThan(5);
        for (byte[] input : corpus) {
            for (int segment : new int[] {1, 3, 1000}) {
                check(input, segment);
            }
        }
    }

    private static void check(byte[] input, int segment) {
        List<Object> received = new ArrayList<>();
        EmbeddedChannel server = HandshakePair.serverChannel(
                new ServerHandshakeHandler(HandshakeTest.KEY.toKeyring(), HandshakePair.DEADLINE), received);
        byte[] hello = HandshakePair.drain(server);
        assertThat(hello).hasSize(HandshakeFormat.SERVER_HELLO_LENGTH);
        for (int i = 0; i < input.length && server.isOpen(); i += segment) {
            server.writeInbound(Unpooled.wrappedBuffer(input, i, Math.min(segment, input.length - i)));
        }
        byte[] after = HandshakePair.drain(server);
        List<Object> events = List.copyOf(HandshakePair.events(server));
        if (server.isOpen()) {
            assertThat(after).isEmpty();
            assertThat(events).isEmpty();
            assertThat(input.length).isLessThan(HandshakeFormat.maxClientAuthLength());
        } else {
            assertThat(after).containsExactly(HandshakeFormat.FAILURE);
            assertThat(events).singleElement().isInstanceOfSatisfying(ConnectionEvents.AuthenticationFailed.class,
                    f -> assertThat(REASONS).contains(f.reason()));
        }
        server.finishAndReleaseAll();
        received.forEach(io.netty.util.ReferenceCountUtil::release);
        server.checkException();
    }
}
