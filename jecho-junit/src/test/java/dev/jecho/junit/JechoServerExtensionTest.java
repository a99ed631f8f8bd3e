package dev.jecho.junit;

import dev.jecho.ClientConfig;
import dev.jecho.Endpoint;
import dev.jecho.JechoClient;
import dev.jecho.JechoServer;
import dev.jecho.Service;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** One server for the class (a static field): every listener kind, each endpoint a parameter, the options applied. */
class JechoServerExtensionTest {

    @RegisterExtension
    static JechoServerExtension server = new JechoServerExtension()
            .listeners(Endpoint.Kind.TCP, Endpoint.Kind.UDP, Endpoint.Kind.UNIX)
            .configure(options -> options.service(Service.ECHO));

    static final Set<JechoServer> SERVERS = new HashSet<>();

    @Test
    void eachListenerIsAParameterAndAnswersWithTheConfiguredService(Endpoint first, @Listener(Endpoint.Kind.TCP) Endpoint tcp,
            @Listener(Endpoint.Kind.UDP) Endpoint udp, @Listener(Endpoint.Kind.UNIX) Endpoint unix, JechoServer running)
            throws Exception {
        SERVERS.add(running);
        assertThat(running).isSameAs(server.server());
        assertThat(first).isEqualTo(tcp).isEqualTo(server.endpoint());
        assertThat(tcp.host()).isEqualTo("127.0.0.1");
        assertThat(tcp.port()).isPositive();
        assertThat(udp.kind()).isEqualTo(Endpoint.Kind.UDP);
        assertThat(udp.port()).isPositive();
        assertThat(unix.path()).exists();
        for (Endpoint endpoint : new Endpoint[] {tcp, udp, unix}) {
            try (JechoClient client = ClientConfig.builder(endpoint).connect()) {
                assertThat(new String(client.exchange("echo, not upper".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8))
                        .as(endpoint.toString()).isEqualTo("echo, not upper");
            }
        }
    }

    @Test
    void everyTestOfTheClassGetsTheSameServer(JechoServer running) {
        SERVERS.add(running);
        assertThat(running.accepting()).isTrue();
    }

    @AfterAll
    static void oneServerServedTheClassAndItsSocketFileIsKeptUntilTheEnd() {
        assertThat(SERVERS).hasSize(1);
        assertThat(Files.exists(server.endpoint(Endpoint.Kind.UNIX).path())).isTrue();
    }
}
