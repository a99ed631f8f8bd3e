package dev.jecho.internal.server;

import dev.jecho.testing.Corpus;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The {@code --penalties} syntax ({@link PenaltyPolicy#parse}, which {@code ServerConfig.Builder.penalties} and so the
 * command line use): the stored corpus, and any text either parses or gets a one-sentence error.
 */
class PenaltySpecTest {

    @Test
    void theStoredCorpusParsesAsRecorded() {
        for (String line : Corpus.lines("penalties.txt")) {
            String[] parts = line.split("\t", -1);
            if (parts[1].equals("error")) {
                assertThatThrownBy(() -> PenaltyPolicy.parse(parts[0])).as("'%s'", parts[0])
                        .isInstanceOf(IllegalArgumentException.class);
            } else {
                assertThat(PenaltyPolicy.parse(parts[0]).toString()).as("'%s'", parts[0]).isEqualTo(parts[1]);
            }
        }
    }

    @Test
    void theDefaultSpecInTheHelpIsTheLibraryDefault() {
        assertThat(PenaltyPolicy.parse(PenaltyPolicy.DEFAULT.toString())).isEqualTo(PenaltyPolicy.DEFAULT);
    }

    @Property(tries = 300, seed = "20261126")
    void anyTextEitherParsesOrIsRejectedWithAMessage(@ForAll("specs") String text) {
        Throwable thrown = catchThrowable(() -> PenaltyPolicy.parse(text));
        if (thrown != null) {
            assertThat(thrown).isInstanceOf(IllegalArgumentException.class);
            assertThat(thrown.getMessage()).isNotBlank().doesNotContain("\n");
        } else {
            PenaltyPolicy parsed = PenaltyPolicy.parse(text);
            assertThat(PenaltyPolicy.parse(parsed.toString())).isEqualTo(
                    parsed.enabled() ? parsed : PenaltyPolicy.OFF);
        }
    }

    @Provide
    Arbitrary<String> specs() {
        Arbitrary<String> key = Arbitraries.of("authfail", "timeout", "refused", "noauth", "min", "max", "max-sources", "bogus", "");
        Arbitrary<String> value = Arbitraries.of("0", "1", "5s", "250ms", "10m", "1h", "-1", "x", "", "65536", "1.5s");
        Arbitrary<String> pair = net.jqwik.api.Combinators.combine(key, value).as((k, v) -> k + ":" + v);
        return Arbitraries.oneOf(pair.list().ofMinSize(1).ofMaxSize(5).map(l -> String.join(",", l)),
                Arbitraries.strings().withChars("abcdefmorstx:,0123456789- ").ofMaxLength(30));
    }
}
