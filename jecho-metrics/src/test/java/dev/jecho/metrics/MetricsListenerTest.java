package dev.jecho.metrics;

import dev.jecho.Endpoint;
import dev.jecho.JechoServer;
import dev.jecho.testing.LogCapture;
import dev.jecho.testing.Metered;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

/** How the server names its metrics listener, and when it warns that the port lists every client to anyone. */
class MetricsListenerTest {

    @Test
    void aMetricsPortOtherMachinesCanReachIsWarnedAboutInOneLine() throws Exception {
        for (String host : new String[] {"0.0.0.0", "192.0.2.7", "::", "2001:db8::1"}) {
            Endpoint bound = Endpoint.tcp(host, 9100);
            assertThat(MetricsHttpServer.exposure(bound, InetAddress.getByName(host))).as(host)
                    .startsWith("metrics http://" + bound.address() + " is reachable from other machines")
                    .contains("/connections lists every client's address")
                    .contains("bind --metrics to 127.0.0.1 or [::1]")
                    .doesNotContain("\n");
        }
        // as docs/deploy.md quotes it
        assertThat(MetricsHttpServer.exposure(Endpoint.tcp("0.0.0.0", 9100), InetAddress.getByName("0.0.0.0")))
                .isEqualTo("metrics http://0.0.0.0:9100 is reachable from other machines, and its /connections lists every"
                        + " client's address (bind --metrics to 127.0.0.1 or [::1], or let a firewall keep it to your monitoring)");
    }

    @Test
    void aLoopbackMetricsPortIsNot() throws Exception {
        for (String host : new String[] {"127.0.0.1", "127.0.0.5", "::1", "localhost"}) {
            assertThat(MetricsHttpServer.exposure(Endpoint.tcp(host, 9100), InetAddress.getByName(host))).as(host).isNull();
        }
        try (LogCapture log = LogCapture.start();
             JechoServer server = Metered.start(JechoServer.builder().tcp("127.0.0.1", 0))) {
            assertThat(Metered.address(server).port()).isPositive();
            assertThat(log.lines()).noneMatch(l -> l.contains("reachable from other machines"));
        }
    }
}
