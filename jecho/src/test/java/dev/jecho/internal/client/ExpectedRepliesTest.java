package dev.jecho.internal.client;

import dev.jecho.ClientException;
import dev.jecho.Service;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client's reply check asks the service: a service named (--expect) is the only reply taken, a line service
 * gets its messages as lines, and a server sending a service's output unasked (chargen) is named, before or
 * after the client's first message. A raw client's pipeline {@code [opening] [replies]} in an EmbeddedChannel.
 */
class ExpectedRepliesTest {

    private static final String PEER = "tcp://127.0.0.1:8888";
    private static final Service REVERSE = Service.lines("reverse", line -> new StringBuilder(line).reverse().toString());
    private static final String CHARGEN = PEER + " sends without being asked, as a chargen server does; jecho client"
            + " prints replies (read it with nc, or measure it with jecho bench --mode download)";

    private EmbeddedChannel ch;

    @AfterEach
    void release() {
        if (ch != null) {
            ch.finishAndReleaseAll();
        }
    }

    private void raw(Expected expected) {
        ServerOpening opening = new ServerOpening(PEER, false);
        ch = new EmbeddedChannel(opening, new ReplyAssembler(TimeUnit.SECONDS.toNanos(10), PEER, opening, expected));
    }

    private CompletableFuture<byte[]> send(String message) {
        CompletableFuture<byte[]> reply = new CompletableFuture<>();
        ch.writeOutbound(new ReplyAssembler.Request(message.getBytes(StandardCharsets.UTF_8), reply));
        return reply;
    }

    private String sent() {
        StringBuilder sb = new StringBuilder();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            sb.append(b.toString(StandardCharsets.UTF_8));
            b.release();
        }
        return sb.toString();
    }

    private void receive(String text) {
        ch.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }

    private static String failure(CompletableFuture<byte[]> reply) {
        assertThat(reply).isCompletedExceptionally();
        return reply.handle((ok, e) -> e.getMessage()).join();
    }

    @Test
    void aLineServiceNamedGetsEachMessageAsALineAndItsReplyIsReadToItsLineEnd() {
        raw(Expected.of(REVERSE, false));
        CompletableFuture<byte[]> first = send("hello");
        CompletableFuture<byte[]> second = send("abc");
        assertThat(sent()).isEqualTo("hello\nabc\n");
        receive("oll");
        receive("eh\ncb");
        assertThat(first.join()).as("the line, without its end").isEqualTo("olleh".getBytes(StandardCharsets.UTF_8));
        assertThat(second).isNotDone();
        receive("a\n");
        assertThat(second.join()).isEqualTo("cba".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aMessageToALineServiceIsOneLine() {
        raw(Expected.of(REVERSE, false));
        ClientException e = (ClientException) send("two\nlines").handle((ok, t) -> t).join();
        assertThat(e.reason()).isEqualTo(ClientException.Reason.INVALID);
        assertThat(e.getMessage()).isEqualTo("a message to reverse, a line service, is one line: it cannot hold a line break");
        assertThat(sent()).as("nothing went out").isEmpty();
    }

    @Test
    void aServiceNamedIsTheOnlyReplyTakenAndTheMismatchSaysWhichWasExpected() {
        raw(Expected.of(Service.UPPER, false));
        CompletableFuture<byte[]> reply = send("hi");
        receive("hi"); // an echo: fine for auto, not for upper
        assertThat(failure(reply)).isEqualTo("the reply from " + PEER + " is not what upper gives for the message"
                + " (sent 0x6869, got 0x6869; " + ServerOpening.OPTIONS + ")");
    }

    @Test
    void autoOnARawStreamTriesTheByteServicesOnly() {
        raw(Expected.auto());
        CompletableFuture<byte[]> reply = send("hello");
        assertThat(sent()).as("no line end: byte services take any chunk").isEqualTo("hello");
        receive("HELLO");
        assertThat(reply.join()).isEqualTo("HELLO".getBytes(StandardCharsets.UTF_8));
    }

    private static String chargen(int length) {
        ByteBuffer b = ByteBuffer.allocate(length);
        Service.CHARGEN.output().fill(0, b);
        return new String(b.array(), StandardCharsets.US_ASCII);
    }

    @Test
    void chargensLinesBeforeTheFirstMessageAreNamed() {
        raw(Expected.auto());
        receive(chargen(500));
        assertThat(ch.isOpen()).isFalse();
        assertThat(ConnectionFailure.of(ch).getMessage()).isEqualTo(CHARGEN);
        assertThat(ConnectionFailure.of(ch).reason()).isEqualTo(ClientException.Reason.AUTH);
    }

    @Test
    void chargensLinesAfterTheFirstMessageAreNamedToo() {
        raw(Expected.auto());
        CompletableFuture<byte[]> reply = send("hi");
        receive(chargen(500));
        assertThat(failure(reply)).isEqualTo(CHARGEN);
    }

    @Test
    void aLateDatagramReplyIsRecognisedByAskingTheServices() {
        Expected auto = Expected.of(null, true);
        byte[] earlier = "abc".getBytes(StandardCharsets.US_ASCII);
        assertThat(auto.matches(earlier, "ABC".getBytes(StandardCharsets.US_ASCII))).as("upper's reply").isTrue();
        assertThat(auto.matches(earlier, "abc".getBytes(StandardCharsets.US_ASCII))).as("echo's reply").isTrue();
        assertThat(auto.matches(earlier, "aBc".getBytes(StandardCharsets.US_ASCII))).as("nobody's").isFalse();
        Expected reverse = Expected.of(REVERSE, true);
        assertThat(reverse.matches(earlier, "cba".getBytes(StandardCharsets.US_ASCII))).isTrue();
        assertThat(reverse.matches(earlier, "ABC".getBytes(StandardCharsets.US_ASCII))).isFalse();
    }
}
