package dev.jecho.internal.protocol.json;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Both JSON framers charge their unfinished message to one budget that all connections share. */
class PartialMessageBudgetTest {

    private static final int MAX_LINE = 80;

    private static Function<PartialMessageBudget, ChannelHandler> framer(String kind) {
        return kind.equals("lines")
                ? budget -> new JsonLineFramer(MAX_LINE, budget)
                : budget -> new JsonValueFramer(MAX_LINE, budget);
    }

    private static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }

    private static List<String> frames(EmbeddedChannel ch) {
        List<String> out = new ArrayList<>();
        ByteBuf b;
        while ((b = ch.readInbound()) != null) {
            out.add(b.toString(StandardCharsets.UTF_8));
            b.release();
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"lines", "values"})
    void theConnectionThatWouldPassTheBudgetIsRefusedAndTheOthersGoOn(String kind) {
        PartialMessageBudget budget = new PartialMessageBudget(100);
        EmbeddedChannel first = new EmbeddedChannel(framer(kind).apply(budget));
        EmbeddedChannel second = new EmbeddedChannel(framer(kind).apply(budget));

        first.writeInbound(text("\"" + "a".repeat(59)));
        assertThat(budget.held()).isEqualTo(60);
        assertThatThrownBy(() -> second.writeInbound(text("\"" + "b".repeat(49))))
                .isInstanceOf(PartialMessageBudget.ExhaustedException.class)
                .hasMessage("the server's unfinished messages reached their limit of 100 bytes");
        assertThat(budget.held()).as("nothing charged for the refused read").isEqualTo(60);
        second.writeInbound(text("\"\n\"more\"\n"));
        assertThat(frames(second)).as("a refused connection is served no more").isEmpty();

        first.writeInbound(text("\"\n"));
        assertThat(frames(first)).containsExactly("\"" + "a".repeat(59) + "\"");
        assertThat(budget.held()).as("a finished message gives its bytes back").isZero();

        first.writeInbound(text("\"" + "c".repeat(70)));
        assertThat(budget.held()).isEqualTo(71);
        first.finishAndReleaseAll();
        second.finishAndReleaseAll();
        assertThat(budget.held()).as("a closed connection gives its bytes back").isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"lines", "values"})
    void theBudgetFollowsWhatIsHeldAcrossReads(String kind) {
        PartialMessageBudget budget = new PartialMessageBudget(1000);
        EmbeddedChannel ch = new EmbeddedChannel(framer(kind).apply(budget));
        ch.writeInbound(text("\"x\"\n\"yy"));
        assertThat(frames(ch)).containsExactly("\"x\"");
        assertThat(budget.held()).as("only the unfinished \"yy").isEqualTo(3);
        ch.writeInbound(text("y"));
        assertThat(budget.held()).isEqualTo(4);
        ch.writeInbound(text("\"\n"));
        assertThat(frames(ch)).containsExactly("\"yyy\"");
        assertThat(budget.held()).isZero();
        assertThat(ch.finish()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"lines", "values"})
    void theUnlimitedBudgetChargesNothing(String kind) {
        EmbeddedChannel ch = new EmbeddedChannel(framer(kind).apply(PartialMessageBudget.UNLIMITED));
        ch.writeInbound(text("\"" + "z".repeat(70)));
        assertThat(PartialMessageBudget.UNLIMITED.held()).isZero();
        ch.finishAndReleaseAll();
    }
}
