package dev.jecho.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jecho.Endpoint;
import dev.jecho.JechoServer;
import dev.jecho.ServerTls;
import dev.jecho.Service;
import dev.jecho.internal.keys.KeyFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code jecho bench} with TLS, a key and JSON Lines as a user runs it, and {@code --compare} with
 * sessions side by side: one row per entry, one-line errors, exit codes. Runs of 300 ms against
 * in-process servers that exempt loopback from their limits.
 */
class BenchSessionsCliTest {

    private static final String KEY = "k1:WlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlo=";   // 32 x 'Z'
    private static final String OTHER = "k1:W1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1s=";

    @TempDir
    static Path dir;

    private static Path key;
    private static Path otherKey;
    private static String fingerprint;
    /** TCP and UDP, raw, echo. */
    private static JechoServer plain;
    /** TLS, raw, echo. */
    private static JechoServer tls;
    /** TLS, a key, JSON Lines, echo; and UDP with the key (tagged datagrams). */
    private static JechoServer tlsAuthJson;

    private static Path keyFile(String name, String line) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, line + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    @BeforeAll
    static void start() throws Exception {
        key = keyFile("k.key", KEY);
        otherKey = keyFile("other.key", OTHER);
        ServerTls certificate = ServerTls.selfSigned(List.of("localhost"), List.of(InetAddress.getByName("127.0.0.1")));
        fingerprint = certificate.fingerprint();
        plain = JechoServer.builder().tcp("127.0.0.1", 0).udp("127.0.0.1", 0).service(Service.ECHO).logConnections(false)
                .limitExempt("127.0.0.0/8").start();
        tls = JechoServer.builder().tcp("127.0.0.1", 0).tls(certificate).service(Service.ECHO).logConnections(false)
                .limitExempt("127.0.0.0/8").start();
        tlsAuthJson = JechoServer.builder().tcp("127.0.0.1", 0).udp("127.0.0.1", 0).tls(certificate)
                .keys(KeyFile.parse(KEY, "test", 32)).json(true).service(Service.ECHO).logConnections(false)
                .limitExempt("127.0.0.0/8").start();
    }

    @AfterAll
    static void stop() {
        for (JechoServer s : new JechoServer[] {plain, tls, tlsAuthJson}) {
            if (s != null) {
                s.close();
            }
        }
    }

    private static String url(JechoServer server, Endpoint.Kind kind) {
        return server.boundEndpoints().stream().filter(e -> e.kind() == kind).findFirst().orElseThrow().toString();
    }

    private static CliTestSupport.Result bench(String... args) {
        List<String> all = new ArrayList<>(List.of("bench"));
        all.addAll(List.of(args));
        all.addAll(List.of("-d", "300ms", "-w", "0", "-q"));
        return CliTestSupport.run("", all.toArray(new String[0]));
    }

    @Test
    void compareWithTlsAndAuthenticatedEntriesPrintsOneRowForEach() {
        CliTestSupport.Result r = bench("--compare",
                "tcp,tls=" + url(tls, Endpoint.Kind.TCP) + ",tls+auth+json=" + url(tlsAuthJson, Endpoint.Kind.TCP)
                        + ",udp,udp+auth=" + url(tlsAuthJson, Endpoint.Kind.UDP),
                url(plain, Endpoint.Kind.TCP), url(plain, Endpoint.Kind.UDP), "--insecure", "--secret-file", key.toString(), "-c", "2");

        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).containsPattern("(?m)^tcp +[1-9]\\d* ")
                .containsPattern("(?m)^tls +[1-9]\\d* ")
                .containsPattern("(?m)^tls\\+auth\\+json +[1-9]\\d* ")
                .containsPattern("(?m)^udp +[1-9]\\d* ")
                .containsPattern("(?m)^udp\\+auth +[1-9]\\d* ")
                .contains("tls: errors: none", "tls+auth+json: errors: none", "udp+auth: datagrams: ")
                .doesNotContain("errors: 1", "errors: 2");
        assertThat(r.errLines()).containsExactly("jecho: warning: --insecure: the server's certificate is not checked;"
                + " anyone on the path can pose as the server");
    }

    @Test
    void aSingleRunWithTlsAKeyAndJsonLinesNamesItsSessionInTheRowAndTheDocument() throws Exception {
        CliTestSupport.Result r = bench(url(tlsAuthJson, Endpoint.Kind.TCP), "--pin-sha256", fingerprint,
                "--secret-file", key.toString(), "--json-lines", "--size", "16-200", "--json");

        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode result = new ObjectMapper().readTree(r.out()).path("results").get(0);
        assertThat(result.path("label").asText()).isEqualTo("tls+auth+json");
        assertThat(result.path("requests").asLong()).isPositive();
        assertThat(result.path("config").path("tls").asBoolean()).isTrue();
        assertThat(result.path("config").path("auth").asText()).isEqualTo("jecho");
        assertThat(result.path("config").path("messages").asText()).isEqualTo("json-lines");
    }

    @Test
    void aWrongKeyIsOneLineAndExitCodeFive() {
        CliTestSupport.Result r = bench(url(tlsAuthJson, Endpoint.Kind.TCP), "--pin-sha256", fingerprint,
                "--secret-file", otherKey.toString(), "--json-lines");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.AUTH);
        assertThat(r.errLines()).containsExactly("jecho: " + url(tlsAuthJson, Endpoint.Kind.TCP)
                + " rejected our key 'k1' (check that both sides use the same key file)");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void compareEntriesAndSessionOptionsThatDoNotFitAreOneLineUsageErrors() {
        String k = key.toString();
        String[][] cases = {
                {"--compare", "tcp", "--tls", "127.0.0.1:9"},
                {"--compare", "tcp", "--json-lines", "127.0.0.1:9"},
                {"--compare", "tcp,tcp+auth", "127.0.0.1:9"},
                {"--compare", "tcp,udp", "--secret-file", k, "127.0.0.1:9"},
                {"--compare", "tcp,unix", "--insecure", "127.0.0.1:9", "unix:/tmp/x.sock"},
                {"--compare", "tcp,tcp=127.0.0.1:10", "127.0.0.1:9"},
                {"--compare", "tcp+gzip", "127.0.0.1:9"},
                {"--compare", "tcp=unix:/tmp/x.sock"},
                {"--compare", "tls", "unix:/tmp/x.sock"},
                {"--compare", "udp+json", "127.0.0.1:9"},
                {"127.0.0.1:9", "--json-lines", "--mode", "bulk"},
                {"udp://127.0.0.1:9", "--tls"},
                {"127.0.0.1:9", "--legacy-auth", "md5"},
        };
        for (String[] args : cases) {
            CliTestSupport.Result r = bench(args);
            assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(ExitCodes.USAGE);
            assertThat(r.errLines()).as(String.join(" ", args)).hasSize(1);
            assertThat(r.errLines()[0]).as(String.join(" ", args)).startsWith("jecho: ");
        }
        assertThat(bench("--compare", "tcp,tcp+auth", "127.0.0.1:9").err())
                .isEqualTo("jecho: +auth needs a key: --secret-file PATH (or the JECHO_SECRET variable)"
                        + " (see 'jecho bench --help')\n");
        assertThat(bench("--compare", "tls", "unix:/tmp/x.sock").err()).startsWith(
                "jecho: --compare names tls but no tcp://HOST:PORT or HOST:PORT URL was given (or write it in the entry: tls=URL)");
    }

    @Test
    void helpDocumentsTheSessionOptionsAndTheCompareEntries() {
        CliTestSupport.Result r = CliTestSupport.run("", "bench", "--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("--json-lines", "--secret-file", "--key-id", "--pin-sha256", "--insecure",
                "--legacy-auth", "tls+auth+json", "+auth", "Sessions, with the options of jecho client");
    }
}
