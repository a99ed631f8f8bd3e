package dev.jecho.internal.protocol.handshake;

import dev.jecho.Keyring;
import dev.jecho.LegacyDigest;
import dev.jecho.internal.keys.SharedKey;
import dev.jecho.internal.protocol.ConnectionEvents;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The article's handshake: its wire exactly, with jecho's deadline and one attempt. */
class LegacyHandshakeTest {

    private static final SharedKey SALT = new SharedKey("", "SOCKET SERVER".getBytes(StandardCharsets.US_ASCII));

    private static EmbeddedChannel server(LegacyDigest digest, List<Object> received) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        List<Object> events = new ArrayList<>();
        ch.attr(io.netty.util.AttributeKey.<List<Object>>valueOf("test.events")).set(events);
        ch.pipeline().addLast(new HandshakePair.Recorder(events, null));
        ch.pipeline().addLast(new LegacyServerHandshake(SALT.toKeyring(), digest, HandshakePair.DEADLINE));
        ch.pipeline().addLast(new HandshakePair.Recorder(new ArrayList<>(), received));
        ch.pipeline().fireChannelActive(); // as a server's connection is announced once its pipeline is built
        return ch;
    }

    @Test
    void theArticlesDigestOfTheNonceAuthenticatesAndTheJsonAfterItPassesOn() {
        for (LegacyDigest digest : LegacyDigest.values()) {
            List<Object> received = new ArrayList<>();
            EmbeddedChannel ch = server(digest, received);
            byte[] nonce = HandshakePair.drain(ch);
            assertThat(nonce).hasSize(32);
            byte[] answer = digest.hmac(SALT.secret(), nonce);
            assertThat(answer).hasSize(digest == LegacyDigest.MD5 ? 16 : 32);
            // the article's client sends its digest and its first message without waiting
            ch.writeInbound(HandshakePair.bytes(answer, "\"hello\"".getBytes(StandardCharsets.UTF_8)));
            assertThat(HandshakePair.events(ch)).containsExactly(new ConnectionEvents.Authenticated(""));
            assertThat(HandshakePair.received(received)).isEqualTo("\"hello\"");
            assertThat(ch.isOpen()).isTrue();
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void aWrongDigestClosesWithoutAByteTheArticlesClientWouldReadAsJson() {
        EmbeddedChannel ch = server(LegacyDigest.MD5, new ArrayList<>());
        byte[] nonce = HandshakePair.drain(ch);
        byte[] wrong = LegacyDigest.MD5.hmac("another salt".getBytes(StandardCharsets.US_ASCII), nonce);
        for (byte b : wrong) {
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        assertThat(ch.isOpen()).isFalse();
        assertThat((Object) ch.readOutbound()).isNull();
        assertThat(HandshakePair.events(ch)).containsExactly(new ConnectionEvents.AuthenticationFailed("bad_proof"));
        ch.finishAndReleaseAll();
    }

    @Test
    void theDeadlineClosesAClientThatNeverAnswers() {
        EmbeddedChannel ch = server(LegacyDigest.SHA256, new ArrayList<>());
        HandshakePair.drain(ch);
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[5]));
        ch.advanceTimeBy(10, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isFalse();
        assertThat(HandshakePair.events(ch)).containsExactly(new ConnectionEvents.AuthenticationFailed("timeout"));
        ch.finishAndReleaseAll();
    }

    @Test
    void theLegacyClientAnswersTheNonceWithTheRawDigest() {
        EmbeddedChannel client = new EmbeddedChannel();
        LegacyClientHandshake handshake = new LegacyClientHandshake(SALT, LegacyDigest.MD5, "tcp://article:8888");
        client.pipeline().addLast(handshake);
        byte[] nonce = HandshakePair.repeat(0x42, 32);
        client.writeInbound(Unpooled.wrappedBuffer(nonce, 0, 10));
        assertThat((Object) client.readOutbound()).isNull();
        client.writeInbound(Unpooled.wrappedBuffer(nonce, 10, 22));
        assertThat(HandshakePair.drain(client)).isEqualTo(LegacyDigest.MD5.hmac(SALT.secret(), nonce));
        client.advanceTimeBy(LegacyClientHandshake.SETTLE_MILLIS, TimeUnit.MILLISECONDS);
        client.runScheduledPendingTasks();
        assertThat(handshake.result()).isCompleted();
        assertThat(client.finish()).isFalse();
    }
}
