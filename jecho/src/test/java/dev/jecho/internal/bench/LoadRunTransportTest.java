package dev.jecho.internal.bench;

import dev.jecho.BenchConfig;
import dev.jecho.Endpoint;
import dev.jecho.Transport;
import dev.jecho.internal.transport.NettyTransport;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Which transport a bench run takes when asked for {@code auto}: io_uring where it keeps pace with the C load generator. */
class LoadRunTransportTest {

    private static Transport chosen(BenchConfig.Builder config) {
        return LoadRun.transportFor(config.build()).kind();
    }

    @Test
    void autoTakesIoUringForRequestsBulkAndDatagrams() {
        assumeTrue(NettyTransport.available(Transport.IO_URING), "io_uring is not available here");
        assertThat(chosen(BenchConfig.builder(Endpoint.tcp("127.0.0.1", 7)))).isEqualTo(Transport.IO_URING);
        assertThat(chosen(BenchConfig.builder(Endpoint.tcp("127.0.0.1", 7)).mode(BenchConfig.Mode.BULK))).isEqualTo(Transport.IO_URING);
        assertThat(chosen(BenchConfig.builder(Endpoint.udp("127.0.0.1", 7)))).isEqualTo(Transport.IO_URING);
    }

    @Test
    void autoKeepsTheServersChoiceForChurnHeldConnectionsAndUnixSockets() {
        Transport everywhere = NettyTransport.select(Transport.AUTO).kind();
        assertThat(chosen(BenchConfig.builder(Endpoint.tcp("127.0.0.1", 7)).mode(BenchConfig.Mode.CONNECT))).isEqualTo(everywhere);
        assertThat(chosen(BenchConfig.builder(Endpoint.tcp("127.0.0.1", 7)).mode(BenchConfig.Mode.HOLD))).isEqualTo(everywhere);
        assertThat(chosen(BenchConfig.builder(Endpoint.unix(Path.of("/tmp/jecho-test.sock"))))).isEqualTo(everywhere);
    }

    @Test
    void aTransportAskedForIsTheOneUsed() {
        assertThat(chosen(BenchConfig.builder(Endpoint.tcp("127.0.0.1", 7)).transport(Transport.NIO))).isEqualTo(Transport.NIO);
        assertThat(chosen(BenchConfig.builder(Endpoint.udp("127.0.0.1", 7)).transport(Transport.EPOLL))).isEqualTo(Transport.EPOLL);
    }
}
