package dev.jecho.internal.server;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Peer-supplied text in a log line: escaped, bounded, and left alone when it is harmless and short. */
class PeerTextTest {

    @Test
    void shortPrintableTextIsUnchanged() {
        assertThat(PeerText.bounded("TLS failed: not an SSL/TLS record")).isEqualTo("TLS failed: not an SSL/TLS record");
        assertThat(PeerText.bounded("größer: ΐ")).isEqualTo("größer: ΐ");
        assertThat(PeerText.bounded(null)).isEqualTo("null");
    }

    @Test
    void controlCharactersAreEscapedSoNoLineCanBeBrokenOrForged() {
        assertThat(PeerText.bounded("a\r\nINFO forged line\u001b[2J\u0000\t\u007f\u0085\u2028\u202e"))
                .isEqualTo("a\\r\\nINFO forged line\\x1b[2J\\x00\\t\\x7f\\x85\\u2028\\u202e");
    }

    @Test
    void longTextIsCutAndSaysHowLongItWas() {
        String hexDump = "not an SSL/TLS record: " + "47".repeat(2048);
        String bounded = PeerText.bounded(hexDump);
        assertThat(bounded).startsWith("not an SSL/TLS record: 4747").endsWith("...(4119 chars)");
        assertThat(bounded.length()).isLessThanOrEqualTo(PeerText.MAX_CHARS + 20);
        assertThat(PeerText.bounded("x".repeat(PeerText.MAX_CHARS))).as("exactly the limit").isEqualTo("x".repeat(PeerText.MAX_CHARS));
    }

    @Property(tries = 300, seed = "20261202")
    void anyTextBecomesOneShortLineOfVisibleCharacters(@ForAll String text) {
        String bounded = PeerText.bounded(text);
        assertThat(bounded.length()).isLessThanOrEqualTo(PeerText.MAX_CHARS + 30);
        assertThat(bounded.chars()).noneMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                || Character.getType(c) == Character.LINE_SEPARATOR || Character.getType(c) == Character.PARAGRAPH_SEPARATOR);
    }
}
