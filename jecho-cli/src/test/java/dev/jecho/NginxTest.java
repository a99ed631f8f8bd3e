package dev.jecho;

import dev.jecho.testing.DeployDoc;
import dev.jecho.testing.JechoProcess;
import dev.jecho.testing.ProxyHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The two jecho servers of docs/deploy.md behind a real nginx running that document's {@code stream}
 * block as written (ports and the listen address aside, see {@link DeployDoc}), in a configuration of its
 * own in a temporary directory: a client that half-closes gets its reply, and the PROXY header brings each
 * client's real address to jecho. {@code .ci/run} installs Debian's nginx and libnginx-mod-stream; without
 * nginx this test is skipped.
 */
class NginxTest {

    /** The readiness probe's source address: nginx passes it on too, as one more connection. */
    private static final String PROBE_SOURCE = "127.0.0.250";
    /** Where Debian (and nginx.org's packages) put the dynamic stream module. */
    private static final List<Path> STREAM_MODULES = List.of(Path.of("/usr/lib/nginx/modules/ngx_stream_module.so"),
            Path.of("/usr/share/nginx/modules/ngx_stream_module.so"), Path.of("/usr/lib64/nginx/modules/ngx_stream_module.so"));

    @TempDir
    static Path dir;

    private static JechoProcess a;
    private static JechoProcess b;
    private static Process nginx;
    private static int front;

    @BeforeAll
    static void start() throws Exception {
        String executable = ProxyHarness.findExecutable("nginx");
        assumeTrue(executable != null, "nginx not found on PATH or in /usr/sbin: install it (apt-get install nginx"
                + " libnginx-mod-stream); .ci/run does");

        List<List<String>> commands = DeployDoc.serverCommands(DeployDoc.block("sh", "haproxy -f"));
        assertThat(commands).as("docs/deploy.md starts two jecho servers for the load balancer").hasSize(2);
        a = JechoProcess.start(commands.get(0).toArray(new String[0]));
        b = JechoProcess.start(commands.get(1).toArray(new String[0]));
        int aPort = a.awaitListening(1).get(0).port();
        int bPort = b.awaitListening(1).get(0).port();

        front = ProxyHarness.freePort();
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, config(dir, front, aPort, bPort));
        Path log = dir.resolve("error.log");
        // -p: every relative path in its own directory; -e: the log nginx writes before it has read the configuration
        nginx = new ProcessBuilder(executable, "-p", dir + "/", "-c", conf.toString(), "-e", log.toString(),
                "-g", "daemon off;").redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
        ProxyHarness.awaitListening(front, nginx, log, PROBE_SOURCE);
    }

    /**
     * A configuration of nginx's own around docs/deploy.md's {@code stream} block: one process (nothing left
     * behind if it is killed), its pid file, logs and temporary files in {@code dir}, and the stream module
     * loaded where it is a dynamic module (Debian's libnginx-mod-stream).
     */
    static String config(Path dir, int front, int backendA, int backendB) {
        String stream = DeployDoc.block("nginx", "stream {");
        stream = DeployDoc.replace(stream, "listen 8888;", "listen 127.0.0.1:" + front + ";");
        stream = DeployDoc.replace(stream, "server 127.0.0.1:9001;", "server 127.0.0.1:" + backendA + ";");
        stream = DeployDoc.replace(stream, "server 127.0.0.1:9002;", "server 127.0.0.1:" + backendB + ";");
        StringBuilder conf = new StringBuilder("# written by NginxTest\n");
        STREAM_MODULES.stream().filter(Files::exists).findFirst()
                .ifPresent(module -> conf.append("load_module ").append(module).append(";\n"));
        conf.append("master_process off;\n")
                .append("pid ").append(dir.resolve("nginx.pid")).append(";\n")
                .append("error_log ").append(dir.resolve("error.log")).append(" info;\n")
                .append("events {\n    worker_connections 256;\n}\n")
                .append(stream);
        return conf.toString();
    }

    @AfterAll
    static void stop() throws Exception {
        if (nginx != null) {
            ProxyHarness.stop(nginx);
        }
        for (JechoProcess p : new JechoProcess[] {a, b}) {
            if (p != null) {
                p.terminate();
                p.waitFor(10);
                p.close();
            }
        }
    }

    /**
     * Issue 12, item 9: {@code printf 'hello\n' | nc -q1 127.0.0.1 PORT} through nginx printed nothing until
     * the document added {@code proxy_half_close on}: nginx closed both sides at the client's end of input.
     */
    @Test
    void aClientThatHalfClosesGetsItsReply() throws Exception {
        for (int i = 0; i < 4; i++) { // round robin: both instances answer a half-closing client
            try (Socket s = client("127.0.0.9")) {
                OutputStream out = s.getOutputStream();
                out.write("hello\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                s.shutdownOutput();
                byte[] reply = s.getInputStream().readAllBytes(); // up to the close that follows the reply
                assertThat(new String(reply, StandardCharsets.US_ASCII)).as("reply %d", i).isEqualTo("HELLO\n");
            }
        }
    }

    @Test
    void bothInstancesSeeTheClientsRealAddresses() throws Exception {
        List<Socket> clients = new ArrayList<>();
        Set<String> sources = new TreeSet<>();
        try {
            for (int i = 0; i < 20; i++) {
                String source = "127.0.0." + (10 + i);
                sources.add(source);
                Socket s = client(source);
                clients.add(s);
                String msg = "hello from " + source + "\n";
                s.getOutputStream().write(msg.getBytes(StandardCharsets.US_ASCII));
                byte[] reply = ProxyHarness.readFully(s.getInputStream(), msg.length());
                assertThat(new String(reply, StandardCharsets.US_ASCII)).isEqualTo(msg.toUpperCase(Locale.ROOT));
                Thread.sleep(25); // 40 connects a second: under the connection log's 50 lines a second
            }
            Map<String, Integer> aPeers = ProxyHarness.peers(a.awaitMetricsUrl());
            Map<String, Integer> bPeers = ProxyHarness.peers(b.awaitMetricsUrl());
            assertThat(aPeers.keySet()).as("instance a served some").containsAnyElementsOf(sources);
            assertThat(bPeers.keySet()).as("instance b served some").containsAnyElementsOf(sources);
            Set<String> seen = new TreeSet<>(aPeers.keySet());
            seen.addAll(bPeers.keySet());
            assertThat(seen).as("the clients' real addresses, not nginx's 127.0.0.1").containsAll(sources)
                    .doesNotContain("127.0.0.1");
        } finally {
            for (Socket s : clients) {
                s.close();
            }
        }
        String logs = a.stderr() + b.stderr();
        for (String source : sources) {
            assertThat(logs).contains("tcp " + source + ":");
        }
        assertThat(logs).doesNotContain("tcp 127.0.0.1:").doesNotContain("Exception");
    }

    private static Socket client(String source) throws IOException {
        Socket s = new Socket();
        s.setSoTimeout(10_000);
        s.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
        s.connect(new InetSocketAddress("127.0.0.1", front), 5_000);
        return s;
    }
}
