package dev.jecho.internal.protocol.json;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonTranscoderTest {

    private static String transcode(String json, UnaryOperator<String> strings) throws JsonProblem {
        return transcode(json.getBytes(StandardCharsets.UTF_8), strings);
    }

    private static String transcode(byte[] json, UnaryOperator<String> strings) throws JsonProblem {
        ByteBuf in = Unpooled.directBuffer().writeBytes(json);
        ByteBuf out = Unpooled.buffer();
        try {
            JsonTranscoder.transcode(in, out, strings);
            return out.toString(StandardCharsets.UTF_8);
        } finally {
            in.release();
            out.release();
        }
    }

    private static JsonProblem problem(String json) {
        try {
            transcode(json, null);
        } catch (JsonProblem p) {
            return p;
        }
        throw new AssertionError("accepted: " + json);
    }

    @Test
    void aValueComesBackCompact() throws JsonProblem {
        assertThat(transcode(" { \"a\" : [ 1 , true , null ] ,\t\"b\" : \"x\" } ", null)).isEqualTo("{\"a\":[1,true,null],\"b\":\"x\"}");
    }

    @Test
    void numbersKeepTheirExactText() throws JsonProblem {
        String numbers = "[-0,1e400,1E+2,123456789012345678901234567890123,0.1000,-2.5e-300]";
        assertThat(transcode(numbers, null)).isEqualTo(numbers);
    }

    @Test
    void upperChangesStringValuesButNotKeys() throws JsonProblem {
        assertThat(transcode("{\"name\":\"straße ünï\",\"list\":[\"a\",{\"k\":\"v\"}],\"n\":1}", s -> s.toUpperCase(Locale.ROOT)))
                .isEqualTo("{\"name\":\"STRASSE ÜNÏ\",\"list\":[\"A\",{\"k\":\"V\"}],\"n\":1}");
    }

    @Test
    void topLevelScalarsAreValues() throws JsonProblem {
        assertThat(transcode("\"hello\"", null)).isEqualTo("\"hello\"");
        assertThat(transcode(" 42 ", null)).isEqualTo("42");
        assertThat(transcode("null", null)).isEqualTo("null");
    }

    @Test
    void escapesAndAstralCharactersSurvive() throws JsonProblem {
        assertThat(transcode("\"a\\\"b\\\\c\\n\\u0001 😀 \\ud83d\\ude00\"", null)).isEqualTo("\"a\\\"b\\\\c\\n\\u0001 😀 😀\"");
    }

    @Test
    void invalidJsonIsReportedWithWhere() {
        JsonProblem p = problem("{\"a\":}");
        assertThat(p.code()).isEqualTo(JsonErrors.INVALID_JSON);
        assertThat(p.detail()).contains("column");
    }

    @Test
    void twoValuesInOneMessageAreInvalid() {
        assertThat(problem("1 2").code()).isEqualTo(JsonErrors.INVALID_JSON);
        assertThat(problem("{} []").code()).isEqualTo(JsonErrors.INVALID_JSON);
    }

    @Test
    void anUnfinishedValueIsInvalid() {
        assertThat(problem("[1,2").code()).isEqualTo(JsonErrors.INVALID_JSON);
        assertThat(problem("").code()).isEqualTo(JsonErrors.INVALID_JSON);
    }

    @Test
    void invalidUtf8IsItsOwnError() {
        byte[] bad = {'"', (byte) 0xc3, (byte) 0x28, '"'};
        assertThatThrownBy(() -> transcode(bad, null)).isInstanceOf(JsonProblem.class)
                .extracting(e -> ((JsonProblem) e).code()).isEqualTo(JsonErrors.INVALID_UTF8);
        byte[] encodedSurrogate = {'"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"'};
        assertThatThrownBy(() -> transcode(encodedSurrogate, null)).isInstanceOf(JsonProblem.class)
                .extracting(e -> ((JsonProblem) e).code()).isEqualTo(JsonErrors.INVALID_UTF8);
    }

    @Test
    void nestingUpToTheLimitIsFineAndDeeperIsRefused() throws JsonProblem {
        String ok = "[".repeat(JsonTranscoder.MAX_DEPTH) + "]".repeat(JsonTranscoder.MAX_DEPTH);
        assertThat(transcode(ok, null)).isEqualTo(ok);
        assertThat(problem("[".repeat(JsonTranscoder.MAX_DEPTH + 1) + "]".repeat(JsonTranscoder.MAX_DEPTH + 1)).code())
                .isEqualTo(JsonErrors.TOO_DEEP);
        assertThat(problem("[".repeat(100_000)).code()).isEqualTo(JsonErrors.TOO_DEEP);
    }

    @Test
    void whatAUserTypesGoesAsAStringUnlessItIsJson() {
        assertThat(JsonTranscoder.fromUserInput("hello world")).isEqualTo("\"hello world\"");
        assertThat(JsonTranscoder.fromUserInput("{\"a\": 1}")).isEqualTo("{\"a\":1}");
        assertThat(JsonTranscoder.fromUserInput("42")).isEqualTo("42");
        assertThat(JsonTranscoder.fromUserInput("say \"hi\"")).isEqualTo("\"say \\\"hi\\\"\"");
        assertThat(JsonTranscoder.fromUserInput("{bad")).isEqualTo("\"{bad\"");
    }

    @Test
    void errorObjectsAreOneCompactJsonObject() {
        ByteBuf out = Unpooled.buffer();
        JsonErrors.write(out, JsonErrors.INVALID_JSON, "bad \"thing\"\nhere");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("{\"error\":\"invalid_json\",\"detail\":\"bad \\\"thing\\\"\\nhere\"}");
        out.release();
    }
}
