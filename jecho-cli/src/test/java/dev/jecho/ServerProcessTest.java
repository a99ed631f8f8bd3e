package dev.jecho;

import dev.jecho.testing.JechoProcess;
import dev.jecho.testing.StreamClient;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The server as a process: what it prints, how it stops, how it fails. */
class ServerProcessTest {

    @Test
    void sigtermStopsTheServerWithExitCode0WithinTwoSeconds() throws Exception {
        try (JechoProcess server = JechoProcess.start("server", "--tcp", "127.0.0.1:0", "--udp", "127.0.0.1:0")) {
            List<Endpoint> bound = server.awaitListening(2);
            assertThat(bound.get(0).port()).isPositive();
            try (StreamClient client = StreamClient.connect(bound.get(0))) {
                assertThat(client.exchange("hello".getBytes(StandardCharsets.UTF_8))).isEqualTo("HELLO".getBytes(StandardCharsets.UTF_8));
                long start = System.nanoTime();
                server.terminate();
                assertThat(server.waitFor(5)).isZero();
                assertThat((System.nanoTime() - start) / 1_000_000).as("ms to stop").isLessThan(2500);
                assertThat(client.readsEndOfStream()).as("open connection closed").isTrue();
            }
            assertThat(server.stderr()).contains("connected").contains("stopped").doesNotContain("Exception");
        }
    }

    @Test
    void portAlreadyInUseIsOneLineOnStderrAndExitCode1() throws Exception {
        try (JechoProcess first = JechoProcess.start("server", "--tcp", "127.0.0.1:0")) {
            Endpoint taken = first.awaitListening(1).get(0);
            try (JechoProcess second = JechoProcess.start("server", "--tcp", taken.address())) {
                assertThat(second.waitFor(20)).isEqualTo(1);
                assertThat(second.stderr().strip().split("\n")).singleElement().asString()
                        .isEqualTo("jecho: cannot listen on " + taken
                                + ": address already in use (is another server running there? choose another port)");
            }
            first.terminate();
            assertThat(first.waitFor(5)).isZero();
        }
    }

    @Test
    void startupBannerNamesServiceTransportAndEveryListener() throws Exception {
        try (JechoProcess server = JechoProcess.start("server", "--tcp", "[::1]:0", "--service", "echo", "--transport", "nio")) {
            List<Endpoint> bound = server.awaitListening(1);
            assertThat(bound.get(0).host()).isEqualTo("::1");
            server.terminate();
            assertThat(server.waitFor(5)).isZero();
        }
    }
}
