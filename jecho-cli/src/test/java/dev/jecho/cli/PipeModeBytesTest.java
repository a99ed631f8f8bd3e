package dev.jecho.cli;

import dev.jecho.Endpoint;
import dev.jecho.Service;
import dev.jecho.junit.JechoServerExtension;
import dev.jecho.testing.Payloads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pipe mode is byte-exact, as {@code nc} is: {@code head -c 100000 /dev/urandom | jecho client} once gave
 * back 181,744 bytes (invalid UTF-8 became U+FFFD, a lone CR split a line) and exit 0.
 */
class PipeModeBytesTest {

    @RegisterExtension
    static JechoServerExtension echo = new JechoServerExtension().listeners(Endpoint.Kind.TCP, Endpoint.Kind.UNIX)
            .configure(options -> options.service(Service.ECHO));
    @RegisterExtension
    static JechoServerExtension upper = new JechoServerExtension().listeners(Endpoint.Kind.TCP, Endpoint.Kind.UNIX)
            .configure(options -> options.service(Service.UPPER));

    private record Result(int exitCode, byte[] out, String err) {
    }

    private static Result client(byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Io io = new Io(new ByteArrayInputStream(stdin), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
        String[] command = new String[args.length + 1];
        command[0] = "client";
        System.arraycopy(args, 0, command, 1, args.length);
        int code = CliTestSupport.execute(io, command);
        return new Result(code, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    /** 100,000 random bytes (about 400 of them \n), with CRLFs, lone CRs, and no newline at the end. */
    private static byte[] randomBytes() {
        byte[] bytes = new byte[100_000];
        new Random(3).nextBytes(bytes);
        byte[] crlfAndCr = "\r\n\r\rx\r".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(crlfAndCr, 0, bytes, 500, crlfAndCr.length);
        bytes[bytes.length - 1] = 'z';
        return bytes;
    }

    /** Byte arrays of 100,000 are compared without printing them: lengths and the first difference. */
    private static void assertSameBytes(byte[] actual, byte[] expected, String what) {
        assertThat(Arrays.mismatch(actual, expected)).as("%s: %d bytes back for %d expected; first difference at byte %d",
                what, actual.length, expected.length, Arrays.mismatch(actual, expected)).isEqualTo(-1);
    }

    @Test
    void randomBytesComeBackExactlyFromEchoOverTcpAndUnix() {
        byte[] input = randomBytes();
        for (Endpoint.Kind kind : new Endpoint.Kind[] {Endpoint.Kind.TCP, Endpoint.Kind.UNIX}) {
            Result r = client(input, echo.endpoint(kind).toString());
            assertThat(r.err()).as(kind.toString()).isEmpty();
            assertThat(r.exitCode()).as(kind.toString()).isZero();
            assertSameBytes(r.out(), input, kind.toString());
        }
    }

    @Test
    void randomBytesComeBackAsciiUpperCasedFromUpperOverTcpAndUnix() {
        byte[] input = randomBytes();
        for (Endpoint.Kind kind : new Endpoint.Kind[] {Endpoint.Kind.TCP, Endpoint.Kind.UNIX}) {
            Result r = client(input, upper.endpoint(kind).toString());
            assertThat(r.err()).as(kind.toString()).isEmpty();
            assertThat(r.exitCode()).as(kind.toString()).isZero();
            assertSameBytes(r.out(), Payloads.upper(input), kind.toString());
        }
    }

    @Test
    void lineEndingsComeBackAsTheyWereAndALastLineWithoutNewlineIsSent() {
        byte[] input = "one\ntwo\r\n\n\r\nlone\rcr\nlast".getBytes(StandardCharsets.US_ASCII);
        Result r = client(input, upper.endpoint(Endpoint.Kind.TCP).toString());
        assertThat(r.exitCode()).isZero();
        assertThat(new String(r.out(), StandardCharsets.US_ASCII)).isEqualTo("ONE\nTWO\r\n\n\r\nLONE\rCR\nLAST");
    }

    @Test
    void aLineWithoutNewlinesLargerThanOneMessageComesBackWhole() {
        byte[] input = new byte[5 * 64 * 1024 + 7]; // no \n: sent as several messages, printed as one line
        new Random(4).nextBytes(input);
        for (int i = 0; i < input.length; i++) {
            if (input[i] == '\n') {
                input[i] = 'n';
            }
        }
        Result r = client(input, echo.endpoint(Endpoint.Kind.UNIX).toString());
        assertThat(r.exitCode()).isZero();
        assertSameBytes(r.out(), input, "unix");
    }
}
