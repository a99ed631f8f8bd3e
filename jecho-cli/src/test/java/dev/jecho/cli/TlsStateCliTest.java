package dev.jecho.cli;

import dev.jecho.JechoServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code jecho server --tls} keeps its self-signed certificate: a restart keeps the fingerprint clients pin. */
class TlsStateCliTest {

    private static final String FINGERPRINT = "([0-9A-F]{2}:){31}[0-9A-F]{2}";

    @TempDir
    Path dir;

    /** The banner's tls line of a server started (and stopped again) with these options. */
    private static String tlsLine(Map<String, String> env, String... options) throws Exception {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream());
        Io io = new Io(new ByteArrayInputStream(new byte[0]), sink, sink, false, env::get);
        CommandLine.ParseResult parsed = Main.commandLine(io).parseArgs(options);
        ServerCommand command = (ServerCommand) parsed.subcommand().commandSpec().userObject();
        try (JechoServer server = JechoServer.start(command.configuration())) {
            List<String> tls = Banner.lines(server, null).stream().filter(l -> l.startsWith("tls: ")).toList();
            assertThat(tls).hasSize(1);
            return tls.get(0);
        }
    }

    @Test
    void aRestartKeepsTheCertificateAndTheBannerSaysWhereItIs() throws Exception {
        Path state = dir.resolve("state");
        String first = tlsLine(Map.of(), "server", "--tcp", "127.0.0.1:0", "--tls", "--tls-state", state.toString());
        String second = tlsLine(Map.of(), "server", "--tcp", "127.0.0.1:0", "--tls", "--tls-state", state.toString());
        assertThat(first).matches("tls: self-signed certificate in " + Pattern.quote(state.resolve("self-signed.pem").toString())
                + ", SHA-256 fingerprint " + FINGERPRINT);
        assertThat(second).isEqualTo(first);
    }

    @Test
    void withoutTheOptionItIsKeptUnderXdgStateHome() throws Exception {
        Map<String, String> env = Map.of("XDG_STATE_HOME", dir.toString());
        String first = tlsLine(env, "server", "--tcp", "127.0.0.1:0", "--tls");
        assertThat(first).startsWith("tls: self-signed certificate in " + dir.resolve("jecho/tls/self-signed.pem") + ", ");
        assertThat(tlsLine(env, "server", "--tcp", "127.0.0.1:0", "--tls")).isEqualTo(first);
    }

    @Test
    void theStateOptionWithoutASelfSignedCertificateIsAUsageError() {
        CliTestSupport.Result alone = CliTestSupport.run("", "server", "--tcp", "127.0.0.1:0", "--tls-state", dir.toString());
        assertThat(alone.exitCode()).isEqualTo(2);
        assertThat(alone.errLines()).containsExactly("jecho: --tls-state is where --tls keeps its self-signed certificate: add --tls");
    }
}
