package dev.jecho.internal.server;

import dev.jecho.testing.Corpus;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

class MaxStartupsTest {

    @Test
    void theStoredCorpusParsesAsRecorded() {
        for (String line : Corpus.lines("max-startups.txt")) {
            String[] parts = line.split("\t", -1);
            if (parts[1].equals("error")) {
                assertThatThrownBy(() -> MaxStartups.parse(parts[0])).as("'%s'", parts[0]).isInstanceOf(IllegalArgumentException.class);
            } else {
                assertThat(MaxStartups.parse(parts[0]).toString()).as("'%s'", parts[0]).isEqualTo(parts[1]);
            }
        }
    }

    @Test
    void dropProbabilityRisesLinearlyFromRateAtStartToAllAtFull() {
        MaxStartups m = new MaxStartups(10, 30, 100);
        assertThat(m.refuses(9, 0)).as("below start: never").isFalse();
        // at start: 30 %, so rolls 0..29 refuse
        assertThat(m.refuses(10, 29)).isTrue();
        assertThat(m.refuses(10, 30)).isFalse();
        // half way: 30 + 70 * 45 / 90 = 65 %
        assertThat(m.refuses(55, 64)).isTrue();
        assertThat(m.refuses(55, 65)).isFalse();
        assertThat(m.refuses(100, 99)).as("at full: always").isTrue();
        assertThat(m.refuses(500, 99)).isTrue();
    }

    @Property(tries = 300, seed = "20261126")
    void moreStartupsNeverMakeADropLessLikely(@ForAll @IntRange(min = 1, max = 300) int start, @ForAll @IntRange(min = 0, max = 100) int rate,
                                              @ForAll @IntRange(min = 0, max = 300) int span, @ForAll @IntRange(min = 0, max = 700) int startups,
                                              @ForAll @IntRange(min = 0, max = 99) int roll) {
        MaxStartups m = new MaxStartups(start, rate, start + span);
        if (m.refuses(startups, roll)) {
            assertThat(m.refuses(startups + 1, roll)).isTrue();
        }
        if (startups < start) {
            assertThat(m.refuses(startups, roll)).isFalse();
        }
        if (startups >= start + span) {
            assertThat(m.refuses(startups, roll)).isTrue();
        }
    }

    @Property(tries = 300, seed = "20261126")
    void anyTextEitherParsesOrIsRejectedWithAMessage(@ForAll("text") String text) {
        Throwable thrown = catchThrowable(() -> MaxStartups.parse(text));
        if (thrown != null) {
            assertThat(thrown).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max-startups");
        }
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> text() {
        return net.jqwik.api.Arbitraries.strings().withChars("0123456789:- a").ofMaxLength(14);
    }
}
