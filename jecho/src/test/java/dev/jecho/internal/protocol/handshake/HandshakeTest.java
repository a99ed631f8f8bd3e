package dev.jecho.internal.protocol.handshake;

import dev.jecho.Keyring;
import dev.jecho.internal.keys.Keys;
import dev.jecho.internal.keys.SharedKey;
import dev.jecho.internal.protocol.ConnectionEvents;
import dev.jecho.internal.protocol.PipelineNames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.jecho.internal.protocol.handshake.HandshakePair.bytes;
import static dev.jecho.internal.protocol.handshake.HandshakePair.drain;
import static dev.jecho.internal.protocol.handshake.HandshakePair.repeat;
import static org.assertj.core.api.Assertions.assertThat;

class HandshakeTest {

    static final SharedKey KEY = new SharedKey("k1", repeat(0x11, 32));
    static final SharedKey OTHER_KEY = new SharedKey("k1", repeat(0x22, 32));

    private static HandshakeException.Kind failureKind(HandshakePair pair) {
        assertThat(pair.clientHandshake.result()).isCompletedExceptionally();
        Throwable cause = pair.clientHandshake.result().handle((ok, e) -> e).join();
        assertThat(cause).isInstanceOf(HandshakeException.class);
        return ((HandshakeException) cause).kind();
    }

    private static EmbeddedChannel newServer(Keyring keys) {
        return HandshakePair.serverChannel(new ServerHandshakeHandler(keys, HandshakePair.DEADLINE), new ArrayList<>());
    }

    @Test
    void matchingKeysEstablishASessionAndBothSidesKnowWhoTheyTalkTo() {
        HandshakePair pair = new HandshakePair(KEY.toKeyring(), KEY);
        pair.run(false);
        assertThat(pair.clientHandshake.result()).isCompleted();
        assertThat(pair.serverEvents).containsExactly(new ConnectionEvents.Authenticated("k1"));
        assertThat(pair.server.pipeline().get(PipelineNames.HANDSHAKE)).isNull();
        assertThat(pair.server.pipeline().get(PipelineNames.RECORDS)).isInstanceOf(SessionRecordCodec.class);
        assertThat(pair.client.pipeline().get(PipelineNames.RECORDS)).isInstanceOf(SessionRecordCodec.class);

        pair.client.writeOutbound(Unpooled.copiedBuffer("hello", StandardCharsets.UTF_8));
        HandshakePair.pump(pair.client, pair.server, false);
        assertThat(HandshakePair.received(pair.serverReceived)).isEqualTo("hello");
        pair.server.writeOutbound(Unpooled.copiedBuffer("HELLO", StandardCharsets.UTF_8));
        HandshakePair.pump(pair.server, pair.client, false);
        assertThat(HandshakePair.received(pair.clientReceived)).isEqualTo("HELLO");
        assertThat(pair.server.isOpen()).isTrue();
        pair.finish();
    }

    @Test
    void everyMessageSplitIntoOneByteSegmentsStillAuthenticates() {
        HandshakePair pair = new HandshakePair(KEY.toKeyring(), KEY);
        pair.run(true);
        assertThat(pair.clientHandshake.result()).isCompleted();
        pair.client.writeOutbound(Unpooled.copiedBuffer("split", StandardCharsets.UTF_8));
        HandshakePair.pump(pair.client, pair.server, true);
        assertThat(HandshakePair.received(pair.serverReceived)).isEqualTo("split");
        pair.finish();
    }

    @Test
    void bytesSentRightAfterTheClientProofReachTheSessionLayer() {
        HandshakePair pair = new HandshakePair(KEY.toKeyring(), KEY);
        HandshakePair.pump(pair.server, pair.client, false);           // hello -> client, client answers
        pair.client.writeOutbound(Unpooled.copiedBuffer("x", StandardCharsets.UTF_8)); // still raw: handshake not done
        byte[] clientAuthAndMore = drain(pair.client);
        // the server gets the auth message and the following byte in one read
        pair.server.writeInbound(Unpooled.wrappedBuffer(clientAuthAndMore));
        assertThat(pair.serverEvents).containsExactly(new ConnectionEvents.Authenticated("k1"));
        // the held byte went on to the record framer, which waits for a whole record
        assertThat(pair.serverReceived).isEmpty();
        assertThat(pair.server.isOpen()).isTrue();
        pair.finish();
    }

    @Test
    void aClientWithTheWrongKeyIsRejectedWithOneGenericByteAndTheConnectionCloses() {
        HandshakePair pair = new HandshakePair(KEY.toKeyring(), OTHER_KEY);
        HandshakePair.pump(pair.server, pair.client, false);
        HandshakePair.pump(pair.client, pair.server, false);
        assertThat(drain(pair.server)).containsExactly(HandshakeFormat.FAILURE);
        assertThat(pair.server.isOpen()).isFalse();
        assertThat(pair.serverEvents).containsExactly(new ConnectionEvents.AuthenticationFailed("bad_proof"));
        pair.client.writeInbound(Unpooled.wrappedBuffer(new byte[] {HandshakeFormat.FAILURE}));
        assertThat(failureKind(pair)).isEqualTo(HandshakeException.Kind.REJECTED);
        assertThat(pair.client.isOpen()).isFalse();
        pair.finish();
    }

    @Test
    void aServerWithTheWrongKeyRejectsTheClientSoNeitherSideProceeds() {
        HandshakePair pair = new HandshakePair(OTHER_KEY.toKeyring(), KEY);
        pair.run(false);
        assertThat(pair.serverEvents).containsExactly(new ConnectionEvents.AuthenticationFailed("bad_proof"));
        assertThat(failureKind(pair)).isEqualTo(HandshakeException.Kind.REJECTED);
        pair.finish();
    }

    @Test
    void anUnknownKeyIdIsRejected() {
        HandshakePair pair = new HandshakePair(KEY.toKeyring(), new SharedKey("k2", repeat(0x11, 32)));
        pair.run(false);
        assertThat(pair.serverEvents).containsExactly(new ConnectionEvents.AuthenticationFailed("unknown_key"));
        assertThat(failureKind(pair)).isEqualTo(HandshakeException.Kind.REJECTED);
        pair.finish();
    }

    @Test
    void aFakeServersWrongProofMakesTheClientAbortBeforeSendingAnyMessage() {
        EmbeddedChannel client = new EmbeddedChannel();
        ClientHandshakeHandler handshake = new ClientHandshakeHandler(KEY, "tcp://fake:1");
        client.pipeline().addLast(PipelineNames.HANDSHAKE, handshake);
        client.writeInbound(bytes(HandshakeFormat.MAGIC, new byte[] {HandshakeFormat.VERSION}, repeat(7, 32)));
        byte[] clientAuth = drain(client);
        assertThat(clientAuth).hasSize(HandshakeFormat.CLIENT_AUTH_PREFIX + 2 + 64);
        // the impostor cannot compute the proof: it answers "accepted" with a guess
        client.writeInbound(bytes(new byte[] {HandshakeFormat.ACCEPTED}, repeat(9, 32)));
        assertThat(handshake.result()).isCompletedExceptionally();
        assertThat(handshake.result().handle((ok, e) -> ((HandshakeException) e).kind()).join())
                .isEqualTo(HandshakeException.Kind.IMPOSTOR);
        assertThat(client.isOpen()).isFalse();
        assertThat(client.pipeline().get(PipelineNames.RECORDS)).isNull();
        assertThat((Object) client.readOutbound()).isNull();
        client.finishAndReleaseAll();
    }

    @Test
    void aServerThatSpeaksSomethingElseIsRecognisedFromItsFirstBytes() {
        EmbeddedChannel client = new EmbeddedChannel();
        ClientHandshakeHandler handshake = new ClientHandshakeHandler(KEY, "tcp://other:1");
        client.pipeline().addLast(handshake);
        client.writeInbound(Unpooled.copiedBuffer("SSH-2.0-OpenSSH\r\n", StandardCharsets.US_ASCII));
        assertThat(handshake.result().handle((ok, e) -> ((HandshakeException) e).kind()).join())
                .isEqualTo(HandshakeException.Kind.NOT_JECHO);
        assertThat((Object) client.readOutbound()).isNull();
        client.finishAndReleaseAll();
    }

    @Test
    void aServerOfAnotherVersionIsRecognised() {
        EmbeddedChannel client = new EmbeddedChannel();
        ClientHandshakeHandler handshake = new ClientHandshakeHandler(KEY, "tcp://other:1");
        client.pipeline().addLast(handshake);
        client.writeInbound(bytes(HandshakeFormat.MAGIC, new byte[] {2}));
        Throwable e = handshake.result().handle((ok, x) -> x).join();
        assertThat(((HandshakeException) e).kind()).isEqualTo(HandshakeException.Kind.NOT_JECHO);
        assertThat(e.getMessage()).contains("version 2");
        client.finishAndReleaseAll();
    }

    @Test
    void aClientProofReplayedOnANewConnectionFails() {
        HandshakePair first = new HandshakePair(KEY.toKeyring(), KEY);
        HandshakePair.pump(first.server, first.client, false);
        byte[] recordedAuth = drain(first.client);
        first.server.writeInbound(Unpooled.wrappedBuffer(recordedAuth));
        assertThat(first.serverEvents).containsExactly(new ConnectionEvents.Authenticated("k1"));
        first.finish();

        EmbeddedChannel second = newServer(KEY.toKeyring());
        drain(second); // its hello, with a fresh nonce
        second.writeInbound(Unpooled.wrappedBuffer(recordedAuth));
        assertThat(HandshakePair.events(second)).containsExactly(new ConnectionEvents.AuthenticationFailed("bad_proof"));
        assertThat(drain(second)).containsExactly(HandshakeFormat.FAILURE);
        assertThat(second.isOpen()).isFalse();
        second.finishAndReleaseAll();
    }

    @Test
    void aServerProofReflectedAsAClientProofFails() {
        EmbeddedChannel server = newServer(KEY.toKeyring());
        byte[] hello = drain(server);
        byte[] serverNonce = java.util.Arrays.copyOfRange(hello, 5, 37);
        byte[] clientNonce = repeat(3, 32);
        byte[] transcript = HandshakeCrypto.transcript(serverNonce, clientNonce, "k1", new byte[0]);
        // what a server would prove over exactly these nonces, offered as the client's proof
        byte[] reflected = HandshakeCrypto.serverProof(KEY.spec(), transcript);
        server.writeInbound(bytes(HandshakeFormat.MAGIC, new byte[] {1, 2}, "k1".getBytes(StandardCharsets.US_ASCII),
                clientNonce, reflected));
        assertThat(HandshakePair.events(server)).containsExactly(new ConnectionEvents.AuthenticationFailed("bad_proof"));
        assertThat(server.isOpen()).isFalse();
        server.finishAndReleaseAll();
    }

    @Test
    void aTruncatedAuthMessageFollowedByCloseIsReportedAsTruncated() {
        EmbeddedChannel server = newServer(KEY.toKeyring());
        drain(server);
        server.writeInbound(bytes(HandshakeFormat.MAGIC, new byte[] {1, 2, 'k'}));
        server.close();
        assertThat(HandshakePair.events(server)).containsExactly(new ConnectionEvents.AuthenticationFailed("truncated"));
        server.finishAndReleaseAll();
    }

    @Test
    void anEndOfStreamInTheMiddleOfTheAuthMessageIsReportedAsTruncatedWhileTheConnectionIsStillOpen() {
        EmbeddedChannel server = newServer(KEY.toKeyring());
        List<String> seenWhileOpen = reportsWhileOpen(server);
        drain(server);
        server.writeInbound(bytes(HandshakeFormat.MAGIC, new byte[] {1, 2, 'k'}));
        server.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE); // the client's FIN (half-close)
        assertThat(seenWhileOpen).as("reported before the close, so the close line can name it").containsExactly("truncated");
        server.close();
        assertThat(HandshakePair.events(server)).containsOnlyOnce(new ConnectionEvents.AuthenticationFailed("truncated"))
                .doesNotContain(new ConnectionEvents.AuthenticationFailed("disconnected"));
        server.finishAndReleaseAll();
    }

    @Test
    void anEndOfStreamBeforeTheFirstByteIsReportedAsDisconnectedWhileTheConnectionIsStillOpen() {
        EmbeddedChannel server = newServer(KEY.toKeyring());
        List<String> seenWhileOpen = reportsWhileOpen(server);
        drain(server);
        server.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertThat(seenWhileOpen).containsExactly("disconnected");
        server.close();
        assertThat(HandshakePair.events(server)).containsOnlyOnce(new ConnectionEvents.AuthenticationFailed("disconnected"));
        server.finishAndReleaseAll();
    }

    @Test
    void theDeadlineReportsTheTimeoutBeforeItCloses() {
        EmbeddedChannel server = newServer(KEY.toKeyring());
        List<String> seenWhileOpen = reportsWhileOpen(server);
        drain(server);
        server.advanceTimeBy(10, TimeUnit.SECONDS);
        server.runScheduledPendingTasks();
        assertThat(server.isOpen()).isFalse();
        assertThat(seenWhileOpen).containsExactly("timeout");
        assertThat(HandshakePair.events(server)).containsOnlyOnce(new ConnectionEvents.AuthenticationFailed("timeout"));
        server.finishAndReleaseAll();
    }

    /** The failure reasons a handler at the head sees while the connection is still active (as the tracker's close line needs). */
    private static List<String> reportsWhileOpen(EmbeddedChannel server) {
        List<String> seen = new ArrayList<>();
        server.pipeline().addFirst(new io.netty.channel.ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(io.netty.channel.ChannelHandlerContext ctx, Object evt) {
                if (evt instanceof ConnectionEvents.AuthenticationFailed failed && ctx.channel().isActive()) {
                    seen.add(failed.reason());
                }
                ctx.fireUserEventTriggered(evt);
            }
        });
        return seen;
    }

    @Test
    void anOversizedKeyIdLengthFailsAtOnceWithoutWaitingForTheRest() {
        EmbeddedChannel server = newServer(KEY.toKeyring());
        drain(server);
        server.writeInbound(bytes(HandshakeFormat.MAGIC, new byte[] {1, (byte) 200}));
        assertThat(HandshakePair.events(server)).containsExactly(new ConnectionEvents.AuthenticationFailed("bad_format"));
        assertThat(drain(server)).containsExactly(HandshakeFormat.FAILURE);
        assertThat(server.isOpen()).isFalse();
        server.finishAndReleaseAll();
    }

    @Test
    void aPlainTextClientFailsOnTheFirstWrongMagicByte() {
        EmbeddedChannel server = newServer(KEY.toKeyring());
        drain(server);
        server.writeInbound(Unpooled.copiedBuffer("hello\n", StandardCharsets.US_ASCII));
        assertThat(HandshakePair.events(server)).containsExactly(new ConnectionEvents.AuthenticationFailed("bad_magic"));
        assertThat(drain(server)).containsExactly(HandshakeFormat.FAILURE);
        server.finishAndReleaseAll();
    }

    @Test
    void aClientOfAnotherVersionFails() {
        EmbeddedChannel server = newServer(KEY.toKeyring());
        drain(server);
        server.writeInbound(bytes(HandshakeFormat.MAGIC, new byte[] {9}));
        assertThat(HandshakePair.events(server)).containsExactly(new ConnectionEvents.AuthenticationFailed("bad_version"));
        server.finishAndReleaseAll();
    }

    @Test
    void theDeadlineClosesASilentClient() {
        EmbeddedChannel server = newServer(KEY.toKeyring());
        drain(server);
        server.advanceTimeBy(9_999, TimeUnit.MILLISECONDS);
        server.runScheduledPendingTasks();
        assertThat(server.isOpen()).isTrue();
        server.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        server.runScheduledPendingTasks();
        assertThat(server.isOpen()).isFalse();
        assertThat(HandshakePair.events(server)).containsExactly(new ConnectionEvents.AuthenticationFailed("timeout"));
        assertThat((Object) server.readOutbound()).as("the deadline only closes: no failure byte").isNull();
        server.finishAndReleaseAll();
    }

    @Test
    void aClientSendingOneByteASecondDoesNotExtendTheDeadline() {
        EmbeddedChannel server = newServer(KEY.toKeyring());
        drain(server);
        byte[] slow = bytes(HandshakeFormat.MAGIC, new byte[] {1, 0}, repeat(5, 64)).array();
        int sent = 0;
        while (server.isOpen() && sent < slow.length) {
            server.writeInbound(Unpooled.wrappedBuffer(new byte[] {slow[sent++]}));
            server.advanceTimeBy(1, TimeUnit.SECONDS);
            server.runScheduledPendingTasks();
        }
        assertThat(sent).isEqualTo(10);
        assertThat(server.isOpen()).isFalse();
        assertThat(HandshakePair.events(server)).containsExactly(new ConnectionEvents.AuthenticationFailed("timeout"));
        server.finishAndReleaseAll();
    }

    @Test
    void aConnectionClosedByAnotherTimerAfterTheDeadlineIsStillATimeout() {
        EmbeddedChannel server = newServer(KEY.toKeyring());
        drain(server);
        server.advanceTimeBy(10, TimeUnit.SECONDS); // the deadline has passed, its task has not run yet
        server.close();
        assertThat(HandshakePair.events(server)).containsExactly(new ConnectionEvents.AuthenticationFailed("timeout"));
        server.finishAndReleaseAll();
    }

    @Test
    void aClientThatHangsUpBeforeSendingAnythingIsReportedAsDisconnected() {
        EmbeddedChannel server = newServer(KEY.toKeyring());
        drain(server);
        server.close();
        assertThat(HandshakePair.events(server)).containsExactly(new ConnectionEvents.AuthenticationFailed("disconnected"));
        server.finishAndReleaseAll();
    }

    @Test
    void aSuccessfulHandshakeCancelsTheDeadline() {
        HandshakePair pair = new HandshakePair(KEY.toKeyring(), KEY);
        pair.run(false);
        pair.server.advanceTimeBy(1, TimeUnit.HOURS);
        pair.server.runScheduledPendingTasks();
        assertThat(pair.server.isOpen()).isTrue();
        pair.finish();
    }

    @Test
    void aServerHoldingSeveralKeysAcceptsEachByItsId() {
        SharedKey oldKey = new SharedKey("old", repeat(0x31, 32));
        SharedKey newKey = new SharedKey("new", repeat(0x32, 32));
        for (SharedKey clientKey : List.of(oldKey, newKey)) {
            HandshakePair pair = new HandshakePair(Keys.of(java.util.List.of(oldKey, newKey)).toKeyring(), clientKey);
            pair.run(false);
            assertThat(pair.clientHandshake.result()).isCompleted();
            assertThat(pair.serverEvents).containsExactly(new ConnectionEvents.Authenticated(clientKey.id()));
            pair.finish();
        }
    }

    @Test
    void theClientReportsAServerThatClosesDuringTheHandshake() {
        HandshakePair pair = new HandshakePair(KEY.toKeyring(), KEY);
        pair.client.close();
        assertThat(failureKind(pair)).isEqualTo(HandshakeException.Kind.CLOSED);
        pair.finish();
    }

    static ByteBuf copy(ByteBuf b) {
        return Unpooled.copiedBuffer(b);
    }
}
