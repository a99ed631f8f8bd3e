package dev.jecho;

import dev.jecho.client.ClientConfig;
import dev.jecho.client.ClientException;
import dev.jecho.client.JechoClient;
import dev.jecho.keys.Keyring;
import dev.jecho.server.JechoServer;
import dev.jecho.transport.Endpoint;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Authenticated UDP over real loopback sockets: the client tags and checks transparently. */
class AuthenticatedDatagramTest {

    @Test
    void aClientWithTheKeyGetsItsRepliesAndOneWithoutGetsNone() throws Exception {
        try (JechoServer server = JechoServer.builder().udp("127.0.0.1", 0).keys(Keyring.of(AuthenticatedJsonTest.KEY)).start()) {
            Endpoint udp = server.boundEndpoints().get(0);
            try (JechoClient keyed = ClientConfig.builder(udp).keys(Keyring.of(AuthenticatedJsonTest.KEY)).connect()) {
                assertThat(new String(keyed.exchange("hello udp".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8))
                        .isEqualTo("HELLO UDP");
                assertThat(keyed.exchange(new byte[0])).isEmpty();
                byte[] large = new byte[60_000];
                new java.util.Random(5).nextBytes(large);
                assertThat(keyed.exchange(large)).isEqualTo(dev.jecho.testing.Payloads.upper(large));
            }
            try (JechoClient plain = ClientConfig.builder(udp).timeout(Duration.ofMillis(200)).retries(1).connect();
                 JechoClient wrongKey = ClientConfig.builder(udp).keys(Keyring.of(AuthenticatedJsonTest.WRONG))
                         .timeout(Duration.ofMillis(200)).retries(1).connect()) {
                assertThatThrownBy(() -> plain.exchange("hello".getBytes(StandardCharsets.UTF_8)))
                        .isInstanceOf(ClientException.class)
                        .extracting(e -> ((ClientException) e).reason()).isEqualTo(ClientException.Reason.LOST);
                assertThatThrownBy(() -> wrongKey.exchange("hello".getBytes(StandardCharsets.UTF_8)))
                        .isInstanceOf(ClientException.class)
                        .extracting(e -> ((ClientException) e).reason()).isEqualTo(ClientException.Reason.LOST);
            }
            assertThat(server.stats().datagramsDropped()).isEqualTo(4);
        }
    }

    @Test
    void aMessageTooLargeForAnAuthenticatedDatagramIsRefusedBeforeSending() throws Exception {
        try (JechoServer server = JechoServer.builder().udp("127.0.0.1", 0).keys(Keyring.of(AuthenticatedJsonTest.KEY)).start();
             JechoClient keyed = ClientConfig.builder(server.boundEndpoints().get(0)).keys(Keyring.of(AuthenticatedJsonTest.KEY)).connect()) {
            assertThatThrownBy(() -> keyed.exchange(new byte[65_507 - 60]))
                    .isInstanceOf(ClientException.class)
                    .hasMessageContaining("authenticated UDP datagram");
        }
    }
}
