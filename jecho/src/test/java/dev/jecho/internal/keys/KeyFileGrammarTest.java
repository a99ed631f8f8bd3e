package dev.jecho.internal.keys;

import dev.jecho.KeyException;
import dev.jecho.internal.keys.SharedKey;
import dev.jecho.testing.Repository;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The key file grammar of docs/protocol.md ("Key files"), rule by rule, as jecho reads it. */
class KeyFileGrammarTest {

    private static final byte[] K32 = bytes(32);
    /** 35 bytes: the last unit of two bytes takes one "=". */
    private static final String PADDED = Base64.getEncoder().encodeToString(bytes(35));

    /** {@code n} bytes 1, 2, 3 ...: a key, not all zeros. */
    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i + 1);
        }
        return b;
    }

    private static Keys parse(String text) throws KeyException {
        return Keys.of(KeyFile.parse(text, "test", SharedKey.MIN_LENGTH));
    }

    @Test
    void theDocumentsExampleIsAFileJechoReadsAndItsFirstKeyIsTheDefault() throws Exception {
        String doc = Files.readString(Repository.file("docs/protocol.md"), StandardCharsets.UTF_8);
        int start = doc.indexOf("```keyfile");
        assertThat(start).as("docs/protocol.md has a ```keyfile example").isGreaterThanOrEqualTo(0);
        String example = doc.substring(doc.indexOf('\n', start) + 1, doc.indexOf("```", start + 3));
        Keys keys = parse(example);
        assertThat(keys.all()).extracting(SharedKey::id).containsExactly("2026-11", "2026-05");
        assertThat(keys.primary().id()).isEqualTo("2026-11");
        assertThat(keys.shortestKeyLength()).isGreaterThanOrEqualTo(SharedKey.MIN_LENGTH);
    }

    @Test
    void commentsBlankLinesCrlfAndWhiteSpaceAroundTheColonAreAccepted() throws Exception {
        String b64 = Base64.getEncoder().encodeToString(K32);
        Keys keys = parse("# a comment\r\n   \r\n\t# an indented comment\r\n  a : " + b64 + " \r\nb:" + b64 + "\r\n");
        assertThat(keys.all()).extracting(SharedKey::id).containsExactly("a", "b");
        assertThat(parse(b64).primary().id()).as("no id: the empty id").isEmpty();
    }

    @Test
    void paddingMayBeLeftOutButMustBeRightWhenPresent() throws Exception {
        assertThat(PADDED).endsWith("=").doesNotEndWith("==");
        assertThat(parse("k:" + PADDED).primary().length()).isEqualTo(35);
        assertThat(parse("k:" + PADDED.replace("=", "")).primary().length()).isEqualTo(35);
        assertThatThrownBy(() -> parse("k:" + PADDED + "=")).isInstanceOf(KeyException.class).hasMessageContaining("not base64");
    }

    @Test
    void theUrlSafeAlphabetWhiteSpaceInsideACommentAfterAKeyAndShortKeysAreRefused() {
        byte[] urlUnsafe = new byte[33];
        java.util.Arrays.fill(urlUnsafe, (byte) 0xfb); // encodes to "+" and "/" in the standard alphabet
        String urlSafe = Base64.getUrlEncoder().encodeToString(urlUnsafe);
        assertThat(urlSafe).contains("-");
        String b64 = Base64.getEncoder().encodeToString(K32);
        for (String bad : new String[] {"k:" + urlSafe, "k:" + b64.substring(0, 20) + " " + b64.substring(20),
                "k:" + b64 + " # the new key", "k:" + Base64.getEncoder().encodeToString(bytes(31))}) {
            assertThatThrownBy(() -> parse(bad)).as(bad).isInstanceOf(KeyException.class).hasMessageContaining("line 1");
        }
    }

    @Test
    void aRepeatedIdOrASecondKeyWithoutAnIdRefusesTheWholeFile() {
        String b64 = Base64.getEncoder().encodeToString(K32);
        assertThatThrownBy(() -> parse("a:" + b64 + "\nb:" + b64 + "\na:" + b64)).isInstanceOf(KeyException.class)
                .hasMessageContaining("'a' appears twice");
        assertThatThrownBy(() -> parse(b64 + "\n" + b64)).isInstanceOf(KeyException.class)
                .hasMessageContaining("more than one key without an id");
        assertThatThrownBy(() -> parse("# only a comment\n\n")).isInstanceOf(KeyException.class).hasMessageContaining("no key");
    }
}
