package dev.jecho.cli;

import dev.jecho.Endpoint;
import dev.jecho.JechoServer;
import dev.jecho.Keyring;
import dev.jecho.LegacyDigest;
import dev.jecho.ServerTls;
import dev.jecho.internal.keys.KeyFile;
import dev.jecho.internal.protocol.handshake.HandshakeFormat;
import dev.jecho.testing.JechoProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line of authentication, JSON and TLS: one-line errors, the right exit codes, what is printed. */
class AuthCliTest {

    private static final String KEY = "k1:WlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlo=";   // 32 x 'Z'
    private static final String OTHER = "k1:W1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1s=";

    @TempDir
    Path dir;

    private Path keyFile(String name, String line) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, line + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private static Keyring keyring(String line) throws Exception {
        return KeyFile.parse(line, "test", 32);
    }

    private static CliTestSupport.Result runWithEnv(Map<String, String> env, String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Io io = new Io(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                false, env::get);
        int code = CliTestSupport.execute(io, args);
        return new CliTestSupport.Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The server's stdout up to its first "listening on" line. */
    private static List<String> linesUntilListening(JechoProcess p) throws Exception {
        java.io.BufferedReader out = new java.io.BufferedReader(
                new java.io.InputStreamReader(p.process().getInputStream(), StandardCharsets.UTF_8));
        List<String> lines = new java.util.ArrayList<>();
        String line;
        while ((line = out.readLine()) != null && lines.size() < 20) {
            lines.add(line);
            if (line.startsWith("listening on ")) {
                return lines;
            }
        }
        throw new AssertionError("the server did not start: " + lines + " " + p.stderr());
    }

    @Test
    void aKeyFileThatOthersCanReadIsRefusedWithTheFix() throws Exception {
        Path file = keyFile("open.key", KEY);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        CliTestSupport.Result r = CliTestSupport.run("", "server", "--tcp", "127.0.0.1:0", "--secret-file", file.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.errLines()).singleElement().asString()
                .isEqualTo("jecho: key file " + file + " is accessible by group or others (mode rw-r--r--); run: chmod 600 " + file);
    }

    @Test
    void aKeyShorterThan32BytesIsRefused() throws Exception {
        Path file = keyFile("short.key", "U09DS0VUIFNFUlZFUg==");
        CliTestSupport.Result r = CliTestSupport.run("", "client", "127.0.0.1:1", "--secret-file", file.toString(), "-m", "x");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.errLines()).singleElement().asString()
                .isEqualTo("jecho: key file " + file + " line 1: key is 13 bytes, at least 32 are needed (make one with: jecho keygen)");
    }

    @Test
    void theArticlesSaltDoesNotLiftProtectedMode() throws Exception {
        Path salt = keyFile("salt.key", "U09DS0VUIFNFUlZFUg==");
        // Refused before anything is bound: the wildcard address is never opened.
        CliTestSupport.Result r = CliTestSupport.run("", "server", "--tcp", "0.0.0.0:0", "--legacy-auth", "md5",
                "--secret-file", salt.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.errLines()).singleElement().asString().isEqualTo("jecho: cannot listen on tcp://0.0.0.0:0: protected mode:"
                + " the key is 13 bytes, too short to protect anything, so anyone who can reach 0.0.0.0:0 could use this"
                + " server (listen on 127.0.0.1 or [::1], use a key of at least 32 bytes, or pass --allow-insecure)");
    }

    @Test
    void aClientWithTheKeyTalksJsonAndTheKeyMayComeFromTheEnvironment() throws Exception {
        try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).json(true).keys(keyring(KEY)).start()) {
            String url = server.boundEndpoints().get(0).toString();
            CliTestSupport.Result r = CliTestSupport.run("", "client", url, "--json", "--secret-file",
                    keyFile("k.key", KEY).toString(), "-m", "hello", "-m", "{\"a\": [1, \"b\"]}");
            assertThat(r.err()).isEmpty();
            assertThat(r.exitCode()).isZero();
            assertThat(r.out()).isEqualTo("\"HELLO\"\n{\"a\":[1,\"B\"]}\n");
            CliTestSupport.Result fromEnv = runWithEnv(Map.of(KeyFile.ENVIRONMENT_VARIABLE, KEY), "piped line\n", "client", url, "--json");
            assertThat(fromEnv.exitCode()).isZero();
            assertThat(fromEnv.out()).isEqualTo("\"PIPED LINE\"\n");
        }
    }

    @Test
    void aRejectedKeyIsOneLineAndExitCode5() throws Exception {
        try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).json(true).keys(keyring(KEY)).start()) {
            Endpoint tcp = server.boundEndpoints().get(0);
            CliTestSupport.Result r = CliTestSupport.run("", "client", tcp.toString(), "--json", "--secret-file",
                    keyFile("other.key", OTHER).toString(), "-m", "x");
            assertThat(r.exitCode()).isEqualTo(5);
            assertThat(r.errLines()).singleElement().asString()
                    .isEqualTo("jecho: " + tcp + " rejected our key 'k1' (check that both sides use the same key file)");
        }
    }

    @Test
    void aServerThatCannotProveTheKeyIsReportedAsAPossibleImpostor() throws Exception {
        try (ServerSocket impostor = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket s = impostor.accept()) {
                    OutputStream out = s.getOutputStream();
                    out.write(HandshakeFormat.MAGIC);
                    out.write(new byte[] {HandshakeFormat.VERSION});
                    out.write(new byte[32]);
                    InputStream in = s.getInputStream();
                    in.readNBytes(6 + 2 + 64);
                    out.write(HandshakeFormat.ACCEPTED);
                    out.write(new byte[32]);
                    out.flush();
                    in.readAllBytes(); // until the client hangs up; it must send nothing more
                } catch (Exception ignored) {
                    // the client went away
                }
            });
            t.start();
            CliTestSupport.Result r = CliTestSupport.run("", "client", "127.0.0.1:" + impostor.getLocalPort(), "--json",
                    "--secret-file", keyFile("k.key", KEY).toString(), "-m", "secret message");
            t.join(5000);
            assertThat(r.exitCode()).isEqualTo(5);
            assertThat(r.errLines()).singleElement().asString()
                    .isEqualTo("jecho: tcp://127.0.0.1:" + impostor.getLocalPort()
                            + " failed to prove it holds the key (possible impostor; nothing was sent)");
        }
    }

    @Test
    void aServerThatSpeaksAnotherProtocolIsNamedAsSuch() throws Exception {
        try (JechoServer legacy = JechoServer.builder().tcp("127.0.0.1", 0).keys(keyring(KEY)).legacyAuth(LegacyDigest.SHA256).start()) {
            CliTestSupport.Result r = CliTestSupport.run("", "client", legacy.boundEndpoints().get(0).toString(),
                    "--secret-file", keyFile("k.key", KEY).toString(), "-m", "x");
            assertThat(r.exitCode()).isEqualTo(5);
            assertThat(r.errLines()).singleElement().asString().contains("does not speak the jecho handshake");
        }
    }

    @Test
    void aServerThatNeverStartsTheHandshakeTimesOutWithAHint() throws Exception {
        try (JechoServer plain = JechoServer.builder().tcp("127.0.0.1", 0).start()) {
            CliTestSupport.Result r = CliTestSupport.run("", "client", plain.boundEndpoints().get(0).toString(),
                    "--secret-file", keyFile("k.key", KEY).toString(), "--auth-timeout", "300ms", "-m", "x");
            assertThat(r.exitCode()).isEqualTo(4);
            assertThat(r.errLines()).singleElement().asString()
                    .contains("no handshake from").contains("within 300 ms").contains("--secret-file");
        }
    }

    @Test
    void tlsWithAPinnedFingerprintAndInsecureModeSaysSo() throws Exception {
        ServerTls tls = ServerTls.selfSigned(List.of("localhost"), List.of(InetAddress.getByName("127.0.0.1")));
        try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).json(true).tls(tls).start()) {
            String url = server.boundEndpoints().get(0).toString();
            CliTestSupport.Result pinned = CliTestSupport.run("", "client", url, "--json", "--pin-sha256", tls.fingerprint(), "-m", "tls");
            assertThat(pinned.err()).isEmpty();
            assertThat(pinned.out()).isEqualTo("\"TLS\"\n");
            CliTestSupport.Result verified = CliTestSupport.run("", "client", url, "--json", "--tls", "-m", "tls");
            assertThat(verified.exitCode()).isEqualTo(5);
            assertThat(verified.errLines()).singleElement().asString().contains("is not trusted").contains("--pin-sha256");
            CliTestSupport.Result insecure = CliTestSupport.run("", "client", url, "--json", "--insecure", "-m", "tls");
            assertThat(insecure.exitCode()).isZero();
            assertThat(insecure.errLines()).singleElement().asString().startsWith("jecho: warning: --insecure:");
        }
    }

    @Test
    void theServerPrintsItsSelfSignedFingerprintAndTheLegacyWarnings() throws Exception {
        Path key = keyFile("k.key", KEY);
        Path state = dir.resolve("tls");
        try (JechoProcess p = JechoProcess.start("server", "--tcp", "127.0.0.1:0", "--json", "--tls", "--tls-state", state.toString(),
                "--secret-file", key.toString())) {
            List<String> banner = linesUntilListening(p);
            assertThat(banner).anySatisfy(line -> assertThat(line).matches("tls: self-signed certificate in "
                    + java.util.regex.Pattern.quote(state.resolve("self-signed.pem").toString())
                    + ", SHA-256 fingerprint ([0-9A-F]{2}:){31}[0-9A-F]{2}"));
            assertThat(banner).contains("authentication: jecho handshake, 1 key");
        }
        Path salt = keyFile("salt.key", "U09DS0VUIFNFUlZFUg==");
        try (JechoProcess p = JechoProcess.start("server", "--tcp", "127.0.0.1:0", "--legacy-auth", "md5", "--secret-file", salt.toString())) {
            assertThat(linesUntilListening(p).get(0)).contains("service echo (JSON)");
            p.terminate();
            p.waitFor(10);
            assertThat(p.stderr()).contains("authenticates the client only and protects no message")
                    .contains("the key is 13 bytes, shorter than the 32");
        }
    }
}
