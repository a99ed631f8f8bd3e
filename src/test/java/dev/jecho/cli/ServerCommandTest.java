package dev.jecho.cli;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;

class ServerCommandTest {

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
        CliTestSupport.Result r = CliTestSupport.run("", "server", "--service", "rot13");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().contains("unknown service 'rot13': use upper or echo");
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
    void unknownLogFormatIsAUsageErrorOnOneLine() {
        CliTestSupport.Result r = CliTestSupport.run("", "server", "--log-format", "xml");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().contains("unknown log format 'xml': use text or json");
    }

    @Test
    void metricsPortInUseIsOneLineAndExitCode1() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            CliTestSupport.Result r = CliTestSupport.run("", "server", "--tcp", "127.0.0.1:0", "--metrics", "127.0.0.1:" + port);
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.errLines()).singleElement().asString()
                    .startsWith("jecho: cannot listen on tcp://127.0.0.1:" + port + ": address already in use");
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
}
