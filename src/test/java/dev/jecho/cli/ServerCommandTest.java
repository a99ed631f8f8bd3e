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
}
