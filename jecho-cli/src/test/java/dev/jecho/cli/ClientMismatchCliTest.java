package dev.jecho.cli;

import dev.jecho.Endpoint;
import dev.jecho.JechoServer;
import dev.jecho.Keyring;
import dev.jecho.LegacyDigest;
import dev.jecho.ServerTls;
import dev.jecho.internal.keys.KeyFile;
import dev.jecho.testing.LogCapture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code jecho client} against a server that wants what the client does not speak (a key, TLS, JSON, the
 * article's handshake), on real loopback connections: never a success, one line that names the missing
 * option, the documented exit code (5 for a server recognised as speaking something else, 3 for one that
 * closes without a word, 4 for one that never answers).
 */
class ClientMismatchCliTest {

    private static final String KEY = "k1:WlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlo=";   // 32 x 'Z'
    /** A server that speaks first races the client's first message: each run is one throw of that race. */
    private static final int RUNS = 20;

    @TempDir
    static Path dir;

    private static Path keyFile;
    private static ServerTls tls;

    @BeforeAll
    static void setUp() throws Exception {
        keyFile = dir.resolve("k.key");
        Files.writeString(keyFile, KEY + "\n");
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        tls = ServerTls.selfSigned(List.of("localhost"), List.of(InetAddress.getByName("127.0.0.1")));
    }

    private static Keyring keys() throws Exception {
        return KeyFile.parse(KEY, "test", 32);
    }

    /** Fails unless the run failed with exactly {@code code} and the one line {@code error}, printing no reply. */
    private static void assertFailed(CliTestSupport.Result r, int code, String error) {
        assertThat(r.out()).as("a reply that is not one is never printed").isEmpty();
        assertThat(r.errLines()).singleElement().asString().isEqualTo(error);
        assertThat(r.exitCode()).as(r.err()).isEqualTo(code);
    }

    @Test
    void aPlainClientAgainstAKeyServerIsToldToUseSecretFileEveryTime() throws Exception {
        try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).keys(keys()).start()) {
            Endpoint tcp = server.boundEndpoints().get(0);
            for (int i = 0; i < RUNS; i++) {
                // a source of its own each time (a /24 apiece): a failed handshake costs its source a penalty
                CliTestSupport.Result r = CliTestSupport.run("", "client", tcp.toString(), "--bind", "127.0." + (100 + i) + ".1", "-m", "hi");
                assertFailed(r, 5, "jecho: " + tcp + " wants a key: it began jecho's handshake (use --secret-file FILE)");
            }
        }
    }

    @Test
    void aPlainJsonClientAgainstAKeyServerIsToldToUseSecretFileEveryTime() throws Exception {
        try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).json(true).keys(keys()).start()) {
            Endpoint tcp = server.boundEndpoints().get(0);
            for (int i = 0; i < RUNS; i++) {
                CliTestSupport.Result r = CliTestSupport.run("", "client", tcp.toString(), "--json", "--bind", "127.0." + (150 + i) + ".1",
                        "-m", "hi");
                assertFailed(r, 5, "jecho: " + tcp + " wants a key: it began jecho's handshake (use --secret-file FILE)");
            }
        }
    }

    @Test
    void aPlainClientAgainstATlsServerIsToldToUseTlsAtOnceAndTheServerLogsNotTls() throws Exception {
        try (LogCapture log = LogCapture.start();
             JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).tls(tls).handshakeTimeout(Duration.ofSeconds(60)).start()) {
            Endpoint tcp = server.boundEndpoints().get(0);
            CliTestSupport.Result r = CliTestSupport.run("", "client", tcp.toString(), "--timeout", "60s", "-m", "hi");
            assertFailed(r, 5, "jecho: " + tcp + " speaks TLS: it answered with a TLS record (use --tls)");
            log.awaitLine(line -> line.matches("tcp 127\\.0\\.0\\.1:\\d+ closed after 0 messages, 0 bytes \\(not TLS, .*\\)"),
                    Duration.ofSeconds(10)); // the server logs the close after the client has seen it
        }
    }

    @Test
    void aTlsClientAgainstAPlainServerIsToldTheServerDoesNotSpeakTls() throws Exception {
        try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).start()) {
            Endpoint tcp = server.boundEndpoints().get(0);
            CliTestSupport.Result r = CliTestSupport.run("", "client", tcp.toString(), "--insecure", "--auth-timeout", "60s", "-m", "hi");
            assertThat(r.out()).isEmpty();
            assertThat(r.errLines()).hasSize(2);
            assertThat(r.errLines()[0]).startsWith("jecho: warning: --insecure:");
            assertThat(r.errLines()[1]).isEqualTo("jecho: " + tcp + " does not speak TLS: it echoed our TLS hello (drop --tls?)");
            assertThat(r.exitCode()).isEqualTo(5);
        }
    }

    @Test
    void aPlainClientAgainstTheArticlesHandshakeIsToldToUseLegacyAuth() throws Exception {
        for (LegacyDigest digest : LegacyDigest.values()) {
            try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).keys(keys()).legacyAuth(digest).start()) {
                Endpoint tcp = server.boundEndpoints().get(0);
                for (int i = 0; i < 5; i++) {
                    CliTestSupport.Result r = CliTestSupport.run("", "client", tcp.toString(), "-m", "hi");
                    assertFailed(r, 5, "jecho: " + tcp + " began with 32 bytes that are no echo, as the article's handshake does"
                            + " (use --legacy-auth md5|sha256 --secret-file FILE)");
                }
            }
        }
    }

    @Test
    void aPlainClientAgainstAJsonServerIsToldToUseJson() throws Exception {
        try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).json(true).start()) {
            Endpoint tcp = server.boundEndpoints().get(0);
            // a raw message has no line break: the server waits for the rest of the line
            CliTestSupport.Result silent = CliTestSupport.run("", "client", tcp.toString(), "--timeout", "300ms", "-m", "hi");
            assertFailed(silent, 4, "jecho: no complete reply from " + tcp
                    + " within 300 ms (got 0 of 2 bytes; a --json server answers whole lines only: use --json;"
                    + " a discard server answers nothing)");
            // one with a line break gets the server's error object
            CliTestSupport.Result answered = CliTestSupport.run("", "client", tcp.toString(), "-m", "hello\n");
            assertFailed(answered, 5, "jecho: " + tcp + " speaks JSON Lines: it answered with an error object (use --json)");
        }
    }

    @Test
    void aKeyedClientWithoutTlsAgainstATlsServerIsToldItMayWantTls() throws Exception {
        // Neither side speaks first here: the client waits for jecho's hello, the server for a TLS hello.
        try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).keys(keys()).tls(tls)
                .handshakeTimeout(Duration.ofMillis(300)).start()) {
            Endpoint tcp = server.boundEndpoints().get(0);
            CliTestSupport.Result closed = CliTestSupport.run("", "client", tcp.toString(), "--secret-file", keyFile.toString(),
                    "--auth-timeout", "60s", "-m", "hi");
            assertFailed(closed, 3, "jecho: " + tcp + " closed the connection during the handshake, before its hello"
                    + " (if it uses TLS, add --tls; it may also have refused this client: see its log)");
        }
        try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).keys(keys()).tls(tls)
                .handshakeTimeout(Duration.ofSeconds(60)).start()) {
            Endpoint tcp = server.boundEndpoints().get(0);
            CliTestSupport.Result timedOut = CliTestSupport.run("", "client", tcp.toString(), "--secret-file", keyFile.toString(),
                    "--auth-timeout", "300ms", "-m", "hi");
            assertThat(timedOut.exitCode()).isEqualTo(4);
            assertThat(timedOut.errLines()).singleElement().asString().contains("within 300 ms").contains("does it want --tls?");
        }
    }
}
