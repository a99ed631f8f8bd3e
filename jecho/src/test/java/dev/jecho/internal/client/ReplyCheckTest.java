package dev.jecho.internal.client;

import dev.jecho.ClientException;
import dev.jecho.internal.protocol.handshake.HandshakeFormat;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a client without a key or TLS does with an answer that is not a reply, in each order the bytes can
 * come in (a server that speaks first races the client's first message on a real connection; here each
 * order is played exactly). No reply that is not one is ever delivered, and the failure names what the
 * server is and the option that is missing.
 */
class ReplyCheckTest {

    private static final String PEER = "tcp://127.0.0.1:8888";
    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(10);
    private static final String WANTS_A_KEY = PEER + " wants a key: it began jecho's handshake (use --secret-file FILE)";

    private EmbeddedChannel ch;

    @AfterEach
    void release() {
        if (ch != null) {
            ch.finishAndReleaseAll();
        }
    }

    /** A raw client's pipeline: {@code [opening] [replies]}. */
    private EmbeddedChannel raw() {
        ServerOpening opening = new ServerOpening(PEER, false);
        ch = new EmbeddedChannel(opening, new ReplyAssembler(TIMEOUT, PEER, opening));
        return ch;
    }

    /** A JSON client's pipeline: {@code [opening] [json-framer] [replies]}. */
    private EmbeddedChannel json() {
        ServerOpening opening = new ServerOpening(PEER, false);
        ch = new EmbeddedChannel(opening, new LineBasedFrameDecoder(1 << 20, true, true),
                new MessageReplies(TIMEOUT, PEER, new byte[] {'\n'}, Integer.MAX_VALUE, opening));
        return ch;
    }

    private CompletableFuture<byte[]> send(String message) {
        CompletableFuture<byte[]> reply = new CompletableFuture<>();
        ch.writeOutbound(new ReplyAssembler.Request(message.getBytes(StandardCharsets.UTF_8), reply));
        return reply;
    }

    private void receive(byte[] bytes) {
        ch.writeInbound(Unpooled.wrappedBuffer(bytes));
    }

    private void receive(String text) {
        receive(text.getBytes(StandardCharsets.UTF_8));
    }

    /** jecho's server hello; {@code newlineInNonce} puts a line break in it, as 12 % of random nonces have. */
    private static byte[] hello(boolean newlineInNonce) {
        byte[] hello = new byte[HandshakeFormat.SERVER_HELLO_LENGTH];
        System.arraycopy(HandshakeFormat.MAGIC, 0, hello, 0, 4);
        hello[4] = HandshakeFormat.VERSION;
        Arrays.fill(hello, 5, hello.length, (byte) 0x7f);
        if (newlineInNonce) {
            hello[20] = '\n';
        }
        return hello;
    }

    private static ClientException failure(CompletableFuture<byte[]> reply) {
        assertThat(reply).isCompletedExceptionally();
        Throwable cause = reply.handle((ok, e) -> e).join();
        assertThat(cause).isInstanceOf(ClientException.class);
        assertThat(cause.getMessage()).doesNotEndWith("null");
        return (ClientException) cause;
    }

    @Test
    void jechosHelloBeforeTheFirstMessageFailsTheConnectionAtOnceAndEveryLaterMessageWithTheSameLine() {
        raw();
        receive(hello(false));
        assertThat(ch.isOpen()).isFalse();
        ClientException first = ConnectionFailure.of(ch);
        assertThat(first.getMessage()).isEqualTo(WANTS_A_KEY);
        assertThat(first.reason()).isEqualTo(ClientException.Reason.AUTH);
        // what comes after (the server's reset) does not replace it
        assertThat(ConnectionFailure.record(ch, new ClientException(ClientException.Reason.IO, "reset"))).isSameAs(first);
    }

    @Test
    void anythingElseBeforeTheFirstMessageFailsTheConnectionAtOnceShowingItsBytes() {
        raw();
        receive("HELLO");
        assertThat(ch.isOpen()).isFalse();
        assertThat(ConnectionFailure.of(ch).getMessage()).isEqualTo(PEER + " spoke before being asked, as no echo server does"
                + " (0x48454c4c4f; " + ServerOpening.OPTIONS + ")");
    }

    @Test
    void jechosHelloAfterTheFirstMessageIsNoReply() {
        raw();
        CompletableFuture<byte[]> reply = send("hi");
        receive(hello(false));
        ClientException e = failure(reply);
        assertThat(e.getMessage()).isEqualTo(WANTS_A_KEY);
        assertThat(e.reason()).isEqualTo(ClientException.Reason.AUTH);
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void theHellosFirstBytesAreNotTakenForTheUpperCaseOfAShortMessage() {
        raw();
        CompletableFuture<byte[]> reply = send("je"); // "JE" would pass for its upper case: the rest of the read does not
        receive(hello(false));
        assertThat(failure(reply).getMessage()).isEqualTo(WANTS_A_KEY);
    }

    @Test
    void aTlsAlertNamesTls() {
        raw();
        CompletableFuture<byte[]> reply = send("hi");
        receive(new byte[] {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x0a});
        assertThat(failure(reply).getMessage()).isEqualTo(PEER + " speaks TLS: it answered with a TLS record (use --tls)");
    }

    @Test
    void aJsonErrorLineNamesJson() {
        raw();
        CompletableFuture<byte[]> reply = send("hello\n");
        receive("{\"error\":\"invalid_json\",\"detail\":\"Unrecognized token 'hello'\"}\n");
        assertThat(failure(reply).getMessage()).isEqualTo(PEER + " speaks JSON Lines: it answered with an error object (use --json)");
    }

    @Test
    void theArticles32ByteChallengeNamesLegacyAuthBeforeAndAfterTheFirstMessage() {
        byte[] challenge = new byte[32];
        new Random(3).nextBytes(challenge);
        challenge[0] = 'q'; // not the first byte of the message nor of its upper case
        String legacy = PEER + " began with 32 bytes that are no echo, as the article's handshake does"
                + " (use --legacy-auth md5|sha256 --secret-file FILE)";

        raw();
        CompletableFuture<byte[]> reply = send("hi");
        receive(challenge);
        assertThat(failure(reply).getMessage()).isEqualTo(legacy);
        ch.finishAndReleaseAll();

        raw();
        receive(challenge);
        assertThat(ConnectionFailure.of(ch).getMessage()).isEqualTo(legacy);
    }

    @Test
    void echoAndUpperRepliesPassHoweverTheyAreSplit() {
        raw();
        CompletableFuture<byte[]> upper = send("hello");
        CompletableFuture<byte[]> echo = send("Wörld");
        receive("HE");
        receive("LLOW");
        receive(new byte[] {(byte) 0xc3});
        receive(new byte[] {(byte) 0xb6, 'r', 'l', 'd'});
        assertThat(upper.join()).isEqualTo("HELLO".getBytes(StandardCharsets.UTF_8));
        assertThat(echo.join()).isEqualTo("Wörld".getBytes(StandardCharsets.UTF_8));
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void aReplyThatIsNeitherTheMessageNorItsUpperCaseFailsWithWhatWasSentAndGot() {
        raw();
        CompletableFuture<byte[]> first = send("ok");
        receive("OK");
        assertThat(first.join()).isEqualTo("OK".getBytes(StandardCharsets.UTF_8));
        CompletableFuture<byte[]> reply = send("hi");
        receive("hI"); // each byte is one service's, the whole is neither
        assertThat(failure(reply).getMessage()).isEqualTo("the reply from " + PEER
                + " is not an echo of the message (sent 0x6869, got 0x6849; " + ServerOpening.OPTIONS + ")");
    }

    @Test
    void bytesNobodyAskedForFailTheRepliesTheyCameWith() {
        raw();
        CompletableFuture<byte[]> reply = send("hi");
        receive("HI, and more");
        assertThat(failure(reply).getMessage()).startsWith(PEER + " sent bytes nobody asked for (0x2c20616e64206d6f...");
    }

    @Test
    void aServerThatClosesWithoutAnsweringMayWantTls() {
        raw();
        CompletableFuture<byte[]> reply = send("hi");
        ch.close(); // as an end of stream does
        ClientException e = failure(reply);
        assertThat(e.reason()).isEqualTo(ClientException.Reason.CLOSED);
        assertThat(e.getMessage()).isEqualTo("the server closed the connection without answering"
                + " (it may want --tls, or have refused this client: see its log)");
    }

    @Test
    void aServerThatResetsWithoutAnsweringSaysResetAndMayWantTls() {
        raw();
        CompletableFuture<byte[]> reply = send("hi");
        ch.pipeline().fireExceptionCaught(new IOException("recvAddress(..) failed with error(-104): Connection reset by peer"));
        ClientException e = failure(reply);
        assertThat(e.reason()).isEqualTo(ClientException.Reason.CLOSED);
        assertThat(e.getMessage()).isEqualTo("the server reset the connection without answering"
                + " (it may want --tls, or have refused this client: see its log)");
    }

    @Test
    void aResetAfterAnswersIsAResetAndABrokenPipeAClose() {
        raw();
        assertThat(send("hi")).isNotDone();
        receive("HI");
        CompletableFuture<byte[]> reply = send("again");
        ch.pipeline().fireExceptionCaught(new java.net.SocketException("Connection reset"));
        assertThat(failure(reply).getMessage()).isEqualTo("the server reset the connection (an RST, not a clean close:"
                + " it aborted the connection, or closed it with requests unread)");
        release();
        raw();
        send("hi");
        receive("HI");
        reply = send("again");
        ch.pipeline().fireExceptionCaught(new IOException("writevAddresses(..) failed with error(-32): Broken pipe"));
        assertThat(failure(reply).getMessage()).isEqualTo("the server closed the connection");
    }

    @Test
    void noReplyAtAllHintsJsonWhoseServerWaitsForAWholeLineAndDiscardThatAnswersNothing() {
        raw();
        ch.freezeTime();
        CompletableFuture<byte[]> reply = send("hi");
        ch.advanceTimeBy(10, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        ClientException e = failure(reply);
        assertThat(e.reason()).isEqualTo(ClientException.Reason.TIMEOUT);
        assertThat(e.getMessage()).isEqualTo("no complete reply from " + PEER + " within 10 s"
                + " (got 0 of 2 bytes; a --json server answers whole lines only: use --json; a discard server answers nothing)");
    }

    @Test
    void aJsonClientNeverTakesAHelloLineForAReply() {
        json();
        CompletableFuture<byte[]> reply = send("\"hi\"");
        receive(hello(true)); // the line break in the nonce makes a frame of the hello's first bytes
        assertThat(failure(reply).getMessage()).isEqualTo(WANTS_A_KEY);
    }

    @Test
    void aJsonClientWhoseServerClosesAfterAHelloWithoutALineBreakIsToldItWantsAKey() {
        json();
        CompletableFuture<byte[]> reply = send("\"hi\"");
        receive(hello(false));
        ch.close();
        assertThat(failure(reply).getMessage()).isEqualTo(WANTS_A_KEY);
    }

    @Test
    void aJsonClientTakesJsonLinesAndErrorObjects() {
        json();
        CompletableFuture<byte[]> value = send("\"hi\"");
        CompletableFuture<byte[]> error = send("{");
        receive("\"HI\"\n{\"error\":\"invalid_json\",\"detail\":\"x\"}\n");
        assertThat(value.join()).isEqualTo("\"HI\"".getBytes(StandardCharsets.UTF_8));
        assertThat(error.join()).isEqualTo("{\"error\":\"invalid_json\",\"detail\":\"x\"}".getBytes(StandardCharsets.UTF_8));
    }
}
