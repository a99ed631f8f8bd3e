package dev.jecho.cli;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ServerCommandTest {

    @TempDir
    Path dir;

    @Test
    void portInUseIsOneLineNamingTheAddressAndExitCode1() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            CliTestSupport.Result r = CliTestSupport.run("", "server", "--tcp", "127.0.0.1:" + port);
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.errLines()).singleElement().asString()
                    .isEqualTo("jecho: cannot listen on tcp://127.0.0.1:" + port
                            + ": address already in use (is another server running there? choose another port)");
        }
    }

    @Test
    void malformedListenerIsAUsageErrorOnOneLine() {
        CliTestSupport.Result r = CliTestSupport.run("", "server", "--tcp", "8888");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString()
                .isEqualTo("jecho: expected HOST:PORT, got '8888' (see 'jecho server --help')");
    }

    @Test
    void unknownServiceIsAUsageErrorOnOneLine() {
        CliTestSupport.Result r = CliTestSupport.run("", "server", "--service", "rot14");
        assertThat(r.exitCode()).isEqualTo(2);
        // the registry names them: the built-ins first
        assertThat(r.errLines()).singleElement().asString().startsWith("jecho: unknown service 'rot14': use echo, upper, discard")
                .contains("chargen").endsWith("(see 'jecho server --help')");
    }

    @Test
    void helpAndVersionExitZero() {
        CliTestSupport.Result help = CliTestSupport.run("", "server", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("--tcp=HOST:PORT").contains("--service=NAME").contains("Exit codes");
        CliTestSupport.Result version = CliTestSupport.run("", "--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("jecho ").contains("Netty 4.2.18.Final");
    }

    @Test
    void noCommandIsAUsageError() {
        CliTestSupport.Result r = CliTestSupport.run("");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().contains("missing command");
    }

    @Test
    void trustedProxyThatIsNotANetworkIsAUsageErrorOnOneLine() {
        CliTestSupport.Result r = CliTestSupport.run("", "server", "--proxy-protocol", "--trusted-proxy", "lb.example.com");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString()
                .startsWith("jecho: 'lb.example.com' is not a network").endsWith("(see 'jecho server --help')");
    }

    @Test
    void trustedProxyWithoutProxyProtocolIsAUsageError() {
        CliTestSupport.Result r = CliTestSupport.run("", "server", "--trusted-proxy", "10.0.0.0/8");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().contains("--trusted-proxy needs --proxy-protocol");
    }

    @Test
    void proxyProtocolWithoutATrustedProxyIsAUsageError() {
        CliTestSupport.Result r = CliTestSupport.run("", "server", "--tcp", "127.0.0.1:0", "--proxy-protocol");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString()
                .startsWith("jecho: --proxy-protocol needs --trusted-proxy CIDR: which load balancers may name clients?");
    }

    @Test
    void unknownLogFormatIsAUsageErrorOnOneLine() {
        CliTestSupport.Result r = CliTestSupport.run("", "server", "--log-format", "xml");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().contains("unknown log format 'xml': use text or json");
    }

    @Test
    void metricsPortInUseIsOneLineNamingTheMetricsListenerAndExitCode1() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            CliTestSupport.Result r = CliTestSupport.run("", "server", "--tcp", "127.0.0.1:0", "--metrics", "127.0.0.1:" + port);
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.errLines()).singleElement().asString().isEqualTo("jecho: cannot listen on metrics http://127.0.0.1:"
                    + port + ": address already in use (is another server running there? choose another port)");
        }
    }

    @Test
    void completionPrintsABashScriptForEveryCommand() {
        CliTestSupport.Result r = CliTestSupport.run("", "completion");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("complete -F").contains("server").contains("client")
                .contains("--proxy-protocol").contains("--metrics");
    }

    @Test
    void serverHelpDocumentsTheOperationsOptions() {
        CliTestSupport.Result help = CliTestSupport.run("", "server", "--help");
        assertThat(help.out()).contains("--metrics=HOST:PORT").contains("--proxy-protocol").contains("--trusted-proxy=CIDR")
                .contains("--log-format=FORMAT").contains("--recv-buffer=SIZE").contains("/connections");
    }

    @Test
    void protectedModeRefusesANonLoopbackAddressWithoutASecretInOneLine() {
        CliTestSupport.Result r = CliTestSupport.run("", "server", "--tcp", "0.0.0.0:0");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.errLines()).singleElement().asString().isEqualTo("jecho: cannot listen on tcp://0.0.0.0:0: protected mode:"
                + " no secret is configured, so anyone who can reach 0.0.0.0:0 could use this server"
                + " (listen on 127.0.0.1 or [::1], configure a secret, or pass --allow-insecure)");
        CliTestSupport.Result udp = CliTestSupport.run("", "server", "--tcp", "127.0.0.1:0", "--udp", "[::]:0");
        assertThat(udp.exitCode()).isEqualTo(1);
        assertThat(udp.errLines()).singleElement().asString().startsWith("jecho: cannot listen on udp://[::]:0: protected mode");
    }

    @Test
    void badLimitValuesAreUsageErrorsOnOneLine() {
        String[][] cases = {
                {"--max-startups", "10:30:5"},
                {"--max-startups", "lots"},
                {"--penalties", "bogus:1s"},
                {"--limit-exempt", "example.com"},
                {"--max-connections", "0"},
                {"--max-datagram", "70000"},
                {"--idle-timeout", "-5s"},
                {"--udp-rate", "-1"},
                {"--handshake-timeout", "0"},
        };
        for (String[] c : cases) {
            CliTestSupport.Result r = CliTestSupport.run("", "server", "--tcp", "127.0.0.1:0", c[0], c[1]);
            assertThat(r.exitCode()).as("%s %s", c[0], c[1]).isEqualTo(2);
            assertThat(r.errLines()).as("%s %s", c[0], c[1]).singleElement().asString()
                    .startsWith("jecho: ").endsWith("(see 'jecho server --help')");
        }
        assertThat(CliTestSupport.run("", "server", "--max-datagram", "70000").errLines()[0])
                .isEqualTo("jecho: max-datagram must be 0-65527 bytes, got 70000 (see 'jecho server --help')");
    }

    @Test
    void helpNamesEveryLimitWithItsDefault() {
        String help = CliTestSupport.run("", "server", "--help").out().replaceAll("\\s+", " ");
        assertThat(help)
                .contains("--max-connections=N").contains("Default: 10000")
                .contains("--max-connections-per-ip=N")
                .contains("--max-startups=START:RATE:FULL").contains("Default: 128:30:256")
                .contains("--max-startups-per-ip=N").contains("Default: 16")
                .contains("--penalties=SPEC")
                .contains("--source-prefix=V4[:V6]").contains("Default: 24:64")
                .contains("--limit-exempt=CIDR")
                .contains("--idle-timeout=DURATION").contains("Default: 5m")
                .contains("--slow-client-timeout=DURATION").contains("Default: 30s")
                .contains("--handshake-timeout=DURATION").contains("Default: 10s")
                .contains("--drain-timeout=DURATION")
                .contains("--max-datagram=BYTES").contains("Default: 65507")
                .contains("--udp-rate=N").contains("Default: 200")
                .contains("--udp-burst=N").contains("Default: 400")
                .contains("--allow-insecure");
        assertThat(help.replace(" ", "")).contains("Default:authfail:5s,timeout:10s,refused:1s,noauth:1s,min:15s,max:10m,max-sources:65536");
    }

    @Test
    void optionsTheLibraryFindsUnfitAreUsageErrorsOnOneLine() throws Exception {
        CliTestSupport.Result noKey = CliTestSupport.runWithEnv(Map.of(), "", "server", "--legacy-auth", "md5");
        assertThat(noKey.exitCode()).isEqualTo(2);
        assertThat(noKey.errLines()).singleElement().asString().isEqualTo("jecho: --legacy-auth needs the article's key:"
                + " --secret-file PATH (its salt \"SOCKET SERVER\" is U09DS0VUIFNFUlZFUg== in base64) (see 'jecho server --help')");

        Path salt = dir.resolve("salt.key");
        Files.writeString(salt, "U09DS0VUIFNFUlZFUg==\n");
        Files.setPosixFilePermissions(salt, PosixFilePermissions.fromString("rw-------"));
        CliTestSupport.Result udp = CliTestSupport.runWithEnv(Map.of(), "", "server", "--legacy-auth", "md5",
                "--secret-file", salt.toString(), "--tcp", "127.0.0.1:0", "--udp", "127.0.0.1:0");
        assertThat(udp.exitCode()).isEqualTo(2);
        assertThat(udp.errLines()).singleElement().asString().isEqualTo("jecho: --legacy-auth is for TCP and Unix sockets:"
                + " the article's handshake has no UDP form (see 'jecho server --help')");
    }

    @Test
    void aValueTheLibraryRefusesStopsTheServerBeforeTlsMakesItsCertificate() {
        Path state = dir.resolve("tls");
        CliTestSupport.Result r = CliTestSupport.run("", "server", "--tcp", "127.0.0.1:0", "--tls", "--tls-state", state.toString(),
                "--max-datagram", "70000");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString()
                .isEqualTo("jecho: max-datagram must be 0-65527 bytes, got 70000 (see 'jecho server --help')");
        assertThat(state).as("no certificate made for a server that does not start").doesNotExist();
    }

    @Test
    void aBadFaultIsAUsageErrorOnOneLine() {
        CliTestSupport.Result r = CliTestSupport.run("", "server", "--tcp", "127.0.0.1:0", "--fault", "latency=fast");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().isEqualTo("jecho: fault 'latency=fast': latency takes a"
                + " duration such as 500ms, 10s, 5m or 1h, got 'fast' (see 'jecho server --help')");
    }

    /** The banner of a server started (and stopped again) with these options. */
    private static List<String> banner(String... options) throws Exception {
        java.io.PrintStream sink = new java.io.PrintStream(new java.io.ByteArrayOutputStream());
        Io io = new Io(new java.io.ByteArrayInputStream(new byte[0]), sink, sink, false, name -> null);
        picocli.CommandLine.ParseResult parsed = Main.commandLine(io).parseArgs(options);
        ServerCommand command = (ServerCommand) parsed.subcommand().commandSpec().userObject();
        try (dev.jecho.JechoServer server = dev.jecho.JechoServer.start(command.configuration())) {
            return Banner.lines(server, null);
        }
    }

    @Test
    void faultsAndTheirSeedAreInTheBanner() throws Exception {
        assertThat(banner("server", "--tcp", "127.0.0.1:0", "--fault", "latency=50ms,jitter=10ms",
                "--fault", "reset-after=64KiB;toxicity=0.1", "--fault-seed", "42"))
                .contains("faults: latency=50ms,jitter=10ms; reset-after=64KiB,toxicity=0.1 (seed 42)");
        // Without --fault-seed the server draws one, and says which: --fault-seed replays the run.
        assertThat(banner("server", "--tcp", "127.0.0.1:0", "--fault", "stall=1KiB"))
                .anyMatch(l -> l.matches("faults: stall=1KiB \\(seed \\d+\\)"));
        assertThat(banner("server", "--tcp", "127.0.0.1:0")).noneMatch(l -> l.startsWith("faults:"));
    }
}
