package dev.jecho.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jecho.Endpoint;
import dev.jecho.JechoServer;
import dev.jecho.Service;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code jecho bench} and {@code jecho bench merge} as a user runs them: output, exit codes, one-line errors. */
class BenchCommandTest {

    @TempDir
    static Path dir;

    private static JechoServer echo;
    private static JechoServer upper;
    private static Endpoint tcp;
    private static Endpoint udp;
    private static Endpoint unix;
    private static Endpoint upperTcp;

    @BeforeAll
    static void start() throws Exception {
        echo = JechoServer.builder().tcp("127.0.0.1", 0).udp("127.0.0.1", 0).unix(dir.resolve("echo.sock"))
                .limitExempt("127.0.0.0/8")
                .service(Service.ECHO).logConnections(false).start();
        tcp = echo.boundEndpoints().get(0);
        udp = echo.boundEndpoints().get(1);
        unix = echo.boundEndpoints().get(2);
        upper = JechoServer.builder().tcp("127.0.0.1", 0).logConnections(false).start();
        upperTcp = upper.boundEndpoints().get(0);
    }

    @AfterAll
    static void stop() {
        echo.close();
        upper.close();
    }

    private static CliTestSupport.Result bench(String... args) {
        String[] all = new String[args.length + 5];
        all[0] = "bench";
        System.arraycopy(args, 0, all, 1, args.length);
        System.arraycopy(new String[] {"-d", "500ms", "-w", "0"}, 0, all, args.length + 1, 4);
        return CliTestSupport.run("", all);
    }

    @Test
    void printsASummaryTableAndALiveLineEachSecond() {
        CliTestSupport.Result r = CliTestSupport.run("", "bench", tcp.toString(), "-c", "2", "-d", "1200ms", "-w", "0");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("jecho bench: rr, 2 connections, 64 B, closed loop, check echo (detected), 1.2s;");
        assertThat(r.out()).containsPattern("(?m)^ +requests +req/s +MB/s +p50 +p90 +p99 +p99\\.9 +p99\\.99 +max +errors$");
        assertThat(r.out()).containsPattern("(?m)^tcp +\\d+ +\\S+ +\\S+ +(\\S+s +){6}0$");
        assertThat(r.out()).contains("connections: 2 of 2 open", "errors: none");
        assertThat(r.err()).containsPattern("(?m)^tcp +1s +\\S+ req/s +p50 \\S+ +p99 \\S+ +max \\S+ +errors 0$");
    }

    @Test
    void jsonReplacesTheTableOnStandardOutput() throws Exception {
        CliTestSupport.Result r = bench(unix.toString(), "--json", "-q");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertThat(doc.path("results").get(0).path("label").asText()).isEqualTo("unix");
        assertThat(doc.path("results").get(0).path("requests").asLong()).isPositive();
    }

    @Test
    void compareRunsOneWorkloadOverEveryTransportIntoOneTable() throws Exception {
        Path html = dir.resolve("compare.html");
        CliTestSupport.Result r = bench("--compare", "tcp,unix,udp", tcp.toString(), unix.toString(), udp.toString(),
                "-q", "--html", html.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("(?m)^tcp +\\d+")
                .containsPattern("(?m)^unix +\\d+").containsPattern("(?m)^udp +\\d+")
                .contains("udp: datagrams: ");
        assertThat(Files.readString(html)).contains("<svg", "udp");
    }

    @Test
    void aPlainHostAndPortServesTcpAndUdpInACompare() throws Exception {
        try (JechoServer both = JechoServer.builder().tcp("127.0.0.1", 0).service(Service.ECHO).logConnections(false).start()) {
            int port = both.boundEndpoints().get(0).port();
            try (JechoServer udpToo = JechoServer.builder().udp("127.0.0.1", port).service(Service.ECHO).logConnections(false)
                    .limitExempt("127.0.0.0/8").start()) {
                CliTestSupport.Result r = bench("--compare", "tcp,udp", "127.0.0.1:" + port, "-q");
                assertThat(r.exitCode()).as(r.err()).isZero();
                assertThat(r.out()).containsPattern("(?m)^tcp +\\d+").containsPattern("(?m)^udp +\\d+");
            }
        }
    }

    @Test
    void theWrongCheckCountsMismatchesAndExitsOneWithOneLine() {
        CliTestSupport.Result wrong = bench(upperTcp.toString(), "-q", "--check", "echo");
        assertThat(wrong.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(wrong.out()).containsPattern("errors: \\d+ \\(connect 0, timeout 0, mismatch \\d+, closed 0, reset 0\\)");
        assertThat(wrong.out()).contains("mismatch: replies differ from what echo gives; jecho's default service is upper"
                + " (leave out --check to detect it, or --check none for any server that keeps the length)");
        assertThat(wrong.errLines()).hasSize(1);
        assertThat(wrong.errLines()[0]).matches("jecho: \\d+ errors? during the run \\(by class in the summary\\)");

        CliTestSupport.Result right = bench(upperTcp.toString(), "-q", "--check", "upper");
        assertThat(right.exitCode()).as(right.out()).isZero();
        assertThat(right.out()).contains(", check upper, ");
    }

    /**
     * Issue 12, item 4: {@code jecho bench HOST:PORT --mode connect -c 10} against a default (upper) server
     * counted every request as a mismatch. The default check now learns the service from the first reply,
     * and the table and --json say what was checked.
     */
    @Test
    void theDefaultCheckLearnsTheServiceAndSaysWhichItChecked() throws Exception {
        CliTestSupport.Result connect = bench(upperTcp.toString(), "-q", "--mode", "connect", "-c", "10");
        assertThat(connect.exitCode()).as(connect.out() + connect.err()).isZero();
        assertThat(connect.out()).startsWith("jecho bench: connect, 10 connections, 64 B, closed loop, check upper (detected), ")
                .contains("errors: none");

        CliTestSupport.Result echoJson = bench(tcp.toString(), "-q", "--json");
        assertThat(echoJson.exitCode()).as(echoJson.err()).isZero();
        JsonNode config = new ObjectMapper().readTree(echoJson.out()).path("results").get(0).path("config");
        assertThat(config.path("check").asText()).isEqualTo("echo");
        assertThat(config.path("check_detected").asBoolean()).isTrue();
        assertThat(config.path("description").asText()).contains("check echo (detected)");

        CliTestSupport.Result compare = bench("--compare", "tcp,unix", upperTcp.toString(), unix.toString(), "-q");
        assertThat(compare.exitCode()).as(compare.out()).isZero();
        assertThat(compare.out()).contains(", check auto (detected per run), ")
                .contains("tcp: check: upper (detected)", "unix: check: echo (detected)");
    }

    @Test
    void nothingListeningIsOneLineAndExitCodeThree() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        CliTestSupport.Result r = bench("127.0.0.1:" + port, "-q");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(r.errLines()).containsExactly(
                "jecho: cannot connect to tcp://127.0.0.1:" + port + ": connection refused (is the server running?)");
        assertThat(r.out()).isEmpty();

        CliTestSupport.Result connect = bench("127.0.0.1:" + port, "-q", "--mode", "connect");
        assertThat(connect.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(connect.errLines()).hasSize(1);
    }

    @Test
    void optionsThatDoNotFitTogetherAreUsageErrors() {
        String[][] cases = {
                {"udp://127.0.0.1:9", "--mode", "bulk"},
                {"127.0.0.1:9", "--size", "10-5"},
                {"127.0.0.1:9", "--size", "big"},
                {"127.0.0.1:9", "--mode", "hold", "--rate", "100"},
                {"--compare", "tcp,sctp"},
                {"--compare", "unix", "127.0.0.1:9"},
                {"127.0.0.1:9", "127.0.0.1:10"},
                {"127.0.0.1:9", "--mode", "stream"},
        };
        for (String[] args : cases) {
            CliTestSupport.Result r = bench(args);
            assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(ExitCodes.USAGE);
            assertThat(r.errLines()).as(String.join(" ", args)).hasSize(1);
            assertThat(r.errLines()[0]).startsWith("jecho: ").endsWith("(see 'jecho bench --help')");
        }
        assertThat(bench("udp://127.0.0.1:9", "--mode", "bulk").err())
                .isEqualTo("jecho: mode bulk needs a stream: use tcp:// or unix: (UDP runs rr) (see 'jecho bench --help')\n");
    }

    @Test
    void bulkConnectAndHoldRunAgainstJecho() {
        CliTestSupport.Result bulk = bench(tcp.toString(), "-q", "--mode", "bulk", "--size", "16384");
        assertThat(bulk.exitCode()).as(bulk.out()).isZero();
        assertThat(bulk.out()).containsPattern("(?m)^ +chunks +chunks/s +MB/s");

        CliTestSupport.Result connect = bench(tcp.toString(), "-q", "--mode", "connect", "-c", "4");
        assertThat(connect.exitCode()).as(connect.out()).isZero();
        assertThat(connect.out()).containsPattern("connections: [1-9]\\d* opened during the run, 4 at a time");

        CliTestSupport.Result hold = bench(unix.toString(), "-q", "--mode", "hold", "-c", "50");
        assertThat(hold.exitCode()).as(hold.out()).isZero();
        assertThat(hold.out()).contains("hold: 50 of 50 connections answered at the start, 50 still answered after");
    }

    @Test
    void mergeCombinesIntervalLogsFromSeveralMachines() throws Exception {
        Path a = dir.resolve("m-a.hlog");
        Path b = dir.resolve("m-b.hlog");
        assertThat(bench(tcp.toString(), "-q", "--hlog", a.toString()).exitCode()).isZero();
        assertThat(bench(tcp.toString(), "-q", "--hlog", b.toString()).exitCode()).isZero();
        Path html = dir.resolve("merged.html");

        CliTestSupport.Result r = CliTestSupport.run("", "bench", "merge", a.toString(), b.toString(), "--html", html.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("jecho bench merge of 2 logs: rr, 1 connection").containsPattern("(?m)^tcp +\\d+")
                .as("the check each run detected, from its result line").contains(", check echo (detected), ");
        assertThat(html).exists();

        CliTestSupport.Result missing = CliTestSupport.run("", "bench", "merge", dir.resolve("nope.hlog").toString());
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(missing.errLines()).containsExactly("jecho: cannot read " + dir.resolve("nope.hlog") + ": no such file");
    }

    @Test
    void helpShowsModesAndExamples() {
        CliTestSupport.Result r = CliTestSupport.run("", "bench", "--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("--rate", "--compare", "--hlog", "Examples:", "jecho bench merge", "connect  a new connection");
    }
}
