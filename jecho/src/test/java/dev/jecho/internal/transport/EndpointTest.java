package dev.jecho.internal.transport;

import dev.jecho.Endpoint;
import dev.jecho.Transport;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EndpointTest {

    @Test
    void parsesEveryUrlForm() {
        assertThat(Endpoint.parse("127.0.0.1:8888")).isEqualTo(Endpoint.tcp("127.0.0.1", 8888));
        assertThat(Endpoint.parse("tcp://localhost:7")).isEqualTo(Endpoint.tcp("localhost", 7));
        assertThat(Endpoint.parse("udp://[::1]:8888")).isEqualTo(Endpoint.udp("::1", 8888));
        assertThat(Endpoint.parse("unix:/tmp/j.sock")).isEqualTo(Endpoint.unix(Path.of("/tmp/j.sock")));
        assertThat(Endpoint.parse("unix:///tmp/j.sock")).isEqualTo(Endpoint.unix(Path.of("/tmp/j.sock")));
    }

    @Test
    void printsIpv6WithBrackets() {
        assertThat(Endpoint.udp("::1", 9)).hasToString("udp://[::1]:9");
        assertThat(Endpoint.tcp("127.0.0.1", 0).withPort(4242)).hasToString("tcp://127.0.0.1:4242");
    }

    @Test
    void rejectsMistakesWithAReadableSentence() {
        assertThatThrownBy(() -> Endpoint.parse("localhost")).hasMessageContaining("expected HOST:PORT");
        assertThatThrownBy(() -> Endpoint.parse("::1:80")).hasMessageContaining("IPv6 addresses need brackets");
        assertThatThrownBy(() -> Endpoint.parse("host:http")).hasMessageContaining("port is not a number");
        assertThatThrownBy(() -> Endpoint.parse("host:70000")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> Endpoint.parse("http://x:1")).hasMessageContaining("unknown scheme");
        assertThatThrownBy(() -> Endpoint.parse("unix:")).hasMessageContaining("missing socket path");
    }

    @Test
    void transportNamesAcceptCommonSpellings() {
        assertThat(Transport.parse("io-uring")).isEqualTo(Transport.IO_URING);
        assertThat(Transport.parse("EPOLL")).isEqualTo(Transport.EPOLL);
        assertThatThrownBy(() -> Transport.parse("kqueue")).hasMessageContaining("use auto, epoll, io_uring or nio");
    }
}
