package dev.jecho.internal.service;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** JSON mode's upper case: exactly {@code String.toUpperCase(Locale.ROOT)}, in linear time. */
class TextUpperTest {

    /** Characters whose upper case is longer: ß, ŉ, ǰ, ΐ, ᾈ (title case), ﬀ, ﬃ. */
    private static final String EXPANDING = "\u00df\u0149\u01f0\u0390\u1f88\ufb00\ufb03";

    @Test
    void everyCodePointOnItsOwnIsUpperCasedAsTheJdkDoes() {
        List<String> wrong = new ArrayList<>();
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            String one = Character.toString(cp); // U+D800..U+DFFF: a lone surrogate
            String expected = one.toUpperCase(Locale.ROOT);
            if (!TextUpper.of(one).equals(expected)) {
                wrong.add(Integer.toHexString(cp));
            }
            // The split points must be complete: a character that grows and is not one would be quadratic again.
            if (expected.length() > one.length() && !TextUpper.expands(one.charAt(0))) {
                wrong.add(Integer.toHexString(cp) + " grows but is not split on");
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void expandingCharactersAmongOthersAreUpperCasedInPlace() {
        assertThat(TextUpper.of("straße")).isEqualTo("STRASSE");
        assertThat(TextUpper.of("\u0390x")).isEqualTo("\u0399\u0308\u0301X");
        assertThat(TextUpper.of("ßß")).isEqualTo("SSSS");
        assertThat(TextUpper.of("a\ud801\udc28ß\ufb03")).isEqualTo("A\ud801\udc00SSFFI"); // Deseret 𐐨 to 𐐀
        assertThat(TextUpper.of("")).isEmpty();
    }

    @Property(tries = 2000)
    void anyTextIsUpperCasedAsTheJdkDoes(@ForAll("texts") String text) {
        assertThat(TextUpper.of(text)).isEqualTo(text.toUpperCase(Locale.ROOT));
    }

    @Provide
    Arbitrary<String> texts() {
        Arbitrary<Integer> codePoint = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.integers().between(0x20, 0x7e)),
                net.jqwik.api.Tuple.of(3, Arbitraries.of(EXPANDING.chars().boxed().toList())),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0x80, 0xffff)),           // lone surrogates too
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0x10000, Character.MAX_CODE_POINT)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0x1f80, 0x1fff)));       // Greek extended
        return codePoint.list().ofMaxSize(40).map(cps -> {
            StringBuilder sb = new StringBuilder();
            cps.forEach(sb::appendCodePoint);
            return sb.toString();
        });
    }

    @Test
    void aMebibyteOfGrowingCharactersTakesLinearTime() {
        // 512 Ki of ΐ (1 MiB of UTF-8) took the JDK's toUpperCase about two minutes; linear, it takes milliseconds.
        String text = "\u0390".repeat(512 * 1024);
        String upper = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> TextUpper.of(text));
        assertThat(upper).hasSize(3 * text.length()).startsWith("\u0399\u0308\u0301\u0399");
    }
}
