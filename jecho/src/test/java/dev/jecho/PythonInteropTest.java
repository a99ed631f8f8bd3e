package dev.jecho;

import dev.jecho.internal.keys.KeyFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The article's own Python programs against jecho, and jecho's client against the article's servers.
 * Runs where python3 is installed (CI installs it).
 */
class PythonInteropTest {

    @TempDir
    static Path scripts;

    @BeforeAll
    static void copyScripts() throws IOException {
        assumeTrue(python() != null, "python3 not installed");
        for (String name : new String[] {"tcp_server.py", "tcp_client.py", "udp_server.py", "udp_client.py",
                "auth_server.py", "auth_client.py"}) {
            try (InputStream in = PythonInteropTest.class.getResourceAsStream("/article/" + name)) {
                Files.copy(in, scripts.resolve(name));
            }
        }
    }

    private static String python() {
        for (String candidate : new String[] {"/usr/bin/python3", "/usr/local/bin/python3"}) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(":")) {
                if (Files.isExecutable(Path.of(dir, "python3"))) {
                    return Path.of(dir, "python3").toString();
                }
            }
        }
        return null;
    }

    /** Runs an article script with the port argument and typed input; returns its stdout. */
    private static String runScript(String script, int port, String typed, String... moreArgs) throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(python(), "-u",
                scripts.resolve(script).toString(), String.valueOf(port)));
        command.addAll(java.util.List.of(moreArgs));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().write(typed.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(script + " did not finish");
        }
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void articlesTcpClientTalksToJechoServer() throws Exception {
        try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).start()) {
            String out = runScript("tcp_client.py", server.boundEndpoints().get(0).port(), "hello\n\nworld 你好\nexit\n");
            assertThat(out).isEqualTo(">>>HELLO\n>>>>>>WORLD 你好\n>>>client close\n");
        }
    }

    @Test
    void articlesUdpClientTalksToJechoServerIncludingAnEmptyMessage() throws Exception {
        try (JechoServer server = JechoServer.builder().udp("127.0.0.1", 0).start()) {
            String out = runScript("udp_client.py", server.boundEndpoints().get(0).port(), "hello\n\nworld\nexit\n");
            assertThat(out).isEqualTo(">>>HELLO\n>>>\n>>>WORLD\n>>>");
        }
    }

    @Test
    void jechoClientTalksToTheArticlesTcpServer() throws Exception {
        int port = freePort();
        Process pyServer = new ProcessBuilder(python(), "-u", scripts.resolve("tcp_server.py").toString(), String.valueOf(port))
                .redirectErrorStream(true).start();
        try {
            awaitListening(port);
            ClientConfig config = ClientConfig.builder(Endpoint.tcp("127.0.0.1", port)).timeout(Duration.ofSeconds(5)).build();
            try (JechoClient client = JechoClient.connect(config)) {
                for (String word : new String[] {"hello", "world", "ünïcode ok"}) {
                    assertThat(new String(client.exchange(word.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8))
                            .isEqualTo(word.replace("hello", "HELLO").replace("world", "WORLD").replace("ünïcode ok", "üNïCODE OK"));
                }
            }
        } finally {
            pyServer.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void jechoClientTalksToTheArticlesUdpServer() throws Exception {
        int port = freePort();
        Process pyServer = new ProcessBuilder(python(), "-u", scripts.resolve("udp_server.py").toString(), String.valueOf(port))
                .redirectErrorStream(true).start();
        try {
            ClientConfig config = ClientConfig.builder(Endpoint.udp("127.0.0.1", port))
                    .timeout(Duration.ofMillis(500)).retries(10).build();   // the script may still be starting
            try (JechoClient client = JechoClient.connect(config)) {
                assertThat(client.exchange("hello udp".getBytes(StandardCharsets.UTF_8)))
                        .isEqualTo("HELLO UDP".getBytes(StandardCharsets.UTF_8));
            }
        } finally {
            pyServer.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** The article's salt, b"SOCKET SERVER", as a key file line. */
    private static final String ARTICLE_SALT = "U09DS0VUIFNFUlZFUg==";

    private static Keyring articleKey() throws KeyException {
        return KeyFile.parse(ARTICLE_SALT, "the article's salt", 1);
    }

    @Test
    void articlesAuthClientTalksToJechoServerWithLegacyMd5() throws Exception {
        try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).keys(articleKey()).legacyAuth(LegacyDigest.MD5).start()) {
            String out = runScript("auth_client.py", server.boundEndpoints().get(0).port(), "hello\n\nworld 你好\n{\"a\": 1}\nexit\n");
            // legacy mode echoes, as the article's server does; the client prints what json.loads returned
            assertThat(out).isEqualTo(">>>hello\n>>>>>>world 你好\n>>>{\"a\": 1}\n>>>");
        }
    }

    @Test
    void articlesAuthClientTalksToJechoServerWithLegacySha256AndTheUpperService() throws Exception {
        try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).keys(articleKey()).legacyAuth(LegacyDigest.SHA256)
                .service(dev.jecho.Service.UPPER).start()) {
            String out = runScript("auth_client.py", server.boundEndpoints().get(0).port(), "hello\nexit\n", "sha256");
            assertThat(out).isEqualTo(">>>HELLO\n>>>");
        }
    }

    @Test
    void articlesAuthClientWithTheWrongDigestIsDisconnected() throws Exception {
        try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).keys(articleKey()).legacyAuth(LegacyDigest.SHA256).start()) {
            String out = runScript("auth_client.py", server.boundEndpoints().get(0).port(), "hello\nexit\n", "md5");
            assertThat(out).startsWith(">>>").doesNotContain("hello\n").contains("Error");
        }
    }

    @Test
    void jechoClientWithLegacyAuthTalksToTheArticlesAuthServer() throws Exception {
        int port = freePort();
        Process pyServer = new ProcessBuilder(python(), "-u", scripts.resolve("auth_server.py").toString(), String.valueOf(port), "md5")
                .redirectErrorStream(true).start();
        try {
            awaitListening(port);
            // the probe connection of awaitListening took the article's single-threaded server through one
            // failed verification; it is back in accept() now
            ClientConfig config = ClientConfig.builder(Endpoint.tcp("127.0.0.1", port)).timeout(Duration.ofSeconds(5))
                    .keys(articleKey()).legacyAuth(LegacyDigest.MD5).build();
            try (JechoClient client = JechoClient.connect(config)) {
                assertThat(new String(JechoClient.await(client.sendText("hello")), StandardCharsets.UTF_8)).isEqualTo("\"hello\"");
                assertThat(new String(JechoClient.await(client.sendText("{\"a\":[1,2]}")), StandardCharsets.UTF_8)).isEqualTo("{\"a\": [1, 2]}");
                assertThat(new String(JechoClient.await(client.sendText("ünï")), StandardCharsets.UTF_8)).isEqualTo("\"\\u00fcn\\u00ef\"");
            }
        } finally {
            pyServer.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Waits until the article's server accepts; the probe connection is closed at once. */
    private static void awaitListening(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("the article's server did not start on port " + port);
    }
}
