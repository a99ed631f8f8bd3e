package dev.jecho.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ByteLinesTest {

    private static List<ByteLines.Line> lines(InputStream in, int maxContent) throws IOException {
        ByteLines reader = new ByteLines(in, maxContent);
        List<ByteLines.Line> lines = new ArrayList<>();
        for (ByteLines.Line line; (line = reader.next()) != null; ) {
            lines.add(line);
        }
        return lines;
    }

    private static List<String> shown(String input) throws IOException {
        List<String> shown = new ArrayList<>();
        for (ByteLines.Line line : lines(new ByteArrayInputStream(input.getBytes(StandardCharsets.ISO_8859_1)), 1 << 20)) {
            shown.add(new String(line.content(), StandardCharsets.ISO_8859_1) + "|" + new String(line.terminator(), StandardCharsets.ISO_8859_1));
        }
        return shown;
    }

    @Test
    void linesEndAtLfOrCrLfOnlyAndALastLineNeedsNoNewline() throws IOException {
        assertThat(shown("a\nb\r\nc\rd\n\n\r\nlast")).containsExactly("a|\n", "b|\r\n", "c\rd|\n", "|\n", "|\r\n", "last|");
        assertThat(shown("")).isEmpty();
        assertThat(shown("\r")).containsExactly("\r|");
    }

    @Test
    void contentAndTerminatorsPutBackTogetherAreTheInputByteForByte() throws IOException {
        Random random = new Random(12);
        for (int round = 0; round < 200; round++) {
            byte[] input = new byte[random.nextInt(3000)];
            for (int i = 0; i < input.length; i++) {
                int pick = random.nextInt(10);   // plenty of \n and \r, and every other byte value
                input[i] = pick == 0 ? (byte) '\n' : pick == 1 ? (byte) '\r' : (byte) random.nextInt(256);
            }
            int maxContent = 1 + random.nextInt(round % 2 == 0 ? 50 : 5000);
            // a stream that hands over a few bytes at a time: lines and CRLFs span reads
            InputStream trickle = new FilterInputStream(new ByteArrayInputStream(input)) {
                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return super.read(b, off, Math.min(len, 1 + random.nextInt(7)));
                }
            };
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            for (ByteLines.Line line : lines(trickle, maxContent)) {
                assertThat(line.content().length).isLessThanOrEqualTo(maxContent);
                joined.writeBytes(line.content());
                joined.writeBytes(line.terminator());
            }
            assertThat(joined.toByteArray()).isEqualTo(input);
        }
    }

    @Test
    void aLineLongerThanTheLimitComesInPiecesWithTheTerminatorOnTheLast() throws IOException {
        List<ByteLines.Line> pieces = lines(new ByteArrayInputStream("abcdefg\nhi\n".getBytes(StandardCharsets.US_ASCII)), 3);
        assertThat(pieces).extracting(l -> new String(l.content(), StandardCharsets.US_ASCII) + "|" + l.terminator().length)
                .containsExactly("abc|0", "def|0", "g|1", "hi|1");
    }
}
