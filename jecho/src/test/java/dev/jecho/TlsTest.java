package dev.jecho;

import dev.jecho.internal.tls.Fingerprint;
import dev.jecho.internal.tls.SelfSignedCertificate;
import dev.jecho.testing.TlsTerminatingProxy;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** TLS on real loopback sockets: every mode over TLS, certificate checks, and the channel binding. */
class TlsTest {

    private static ServerTls selfSigned;
    private static X509Bundle root;

    @BeforeAll
    static void certificates() throws Exception {
        selfSigned = ServerTls.selfSigned(List.of("localhost"), List.of(InetAddress.getByName("127.0.0.1")));
        root = new CertificateBuilder().subject("CN=jecho test root").setIsCertificateAuthority(true).ecp256().buildSelfSigned();
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static ClientConfig.Builder client(Endpoint endpoint) {
        return ClientConfig.builder(endpoint).timeout(Duration.ofSeconds(10));
    }

    @Test
    void tlsAuthenticationAndJsonTogether() throws Exception {
        try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).json(true)
                .keys(AuthenticatedJsonTest.KEY.toKeyring()).tls(selfSigned).start();
             JechoClient c = client(server.boundEndpoints().get(0)).json(true).keys(AuthenticatedJsonTest.KEY.toKeyring())
                     .tls(ClientTls.pinned(Fingerprint.parse(selfSigned.fingerprint()))).connect()) {
            assertThat(text(JechoClient.await(c.sendText("{\"over\":\"tls\"}")))).isEqualTo("{\"over\":\"TLS\"}");
        }
    }

    @Test
    void rawBytesOverTlsWithoutASecret() throws Exception {
        try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).tls(selfSigned).start();
             JechoClient c = client(server.boundEndpoints().get(0))
                     .tls(ClientTls.pinned(Fingerprint.parse(selfSigned.fingerprint()))).connect()) {
            assertThat(text(c.exchange("hello tls".getBytes(StandardCharsets.UTF_8)))).isEqualTo("HELLO TLS");
        }
    }

    @Test
    void aCaSignedCertificateIsVerifiedWithTheCaAndTheHostName() throws Exception {
        X509Bundle leaf = new CertificateBuilder().subject("CN=127.0.0.1").addSanIpAddress("127.0.0.1").addSanDnsName("localhost")
                .ecp256().buildIssuedBy(root);
        ServerTls tls = ServerTls.fromPem(leaf.toTempCertChainPem().toPath(), leaf.toTempPrivateKeyPem().toPath());
        try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).tls(tls).start();
             JechoClient c = client(server.boundEndpoints().get(0)).tls(ClientTls.trustingCa(root.toTempRootCertPem().toPath())).connect()) {
            assertThat(text(c.exchange("ca".getBytes(StandardCharsets.UTF_8)))).isEqualTo("CA");
        }
    }

    @Test
    void theClientRefusesACertificateForAnotherHostName() throws Exception {
        X509Bundle leaf = new CertificateBuilder().subject("CN=elsewhere").addSanDnsName("elsewhere.invalid")
                .ecp256().buildIssuedBy(root);
        ServerTls tls = ServerTls.fromPem(leaf.toTempCertChainPem().toPath(), leaf.toTempPrivateKeyPem().toPath());
        try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).tls(tls).start()) {
            ClientConfig.Builder config = client(server.boundEndpoints().get(0)).tls(ClientTls.trustingCa(root.toTempRootCertPem().toPath()));
            assertThatThrownBy(config::connect).isInstanceOf(ClientException.class)
                    .hasMessageContaining("is not trusted")
                    .extracting(e -> ((ClientException) e).reason()).isEqualTo(ClientException.Reason.AUTH);
        }
    }

    @Test
    void theClientRefusesAServerCertificateItDoesNotTrustWithAClearMessage() throws Exception {
        try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).json(true).tls(selfSigned).start()) {
            Endpoint tcp = server.boundEndpoints().get(0);
            assertThatThrownBy(() -> client(tcp).json(true).tls(ClientTls.systemTrust()).connect())
                    .isInstanceOf(ClientException.class)
                    .hasMessageStartingWith("the certificate of " + tcp + " is not trusted")
                    .hasMessageContaining("--pin-sha256")
                    .extracting(e -> ((ClientException) e).reason()).isEqualTo(ClientException.Reason.AUTH);
            byte[] wrongPin = new byte[32];
            assertThatThrownBy(() -> client(tcp).tls(ClientTls.pinned(wrongPin)).connect())
                    .isInstanceOf(ClientException.class)
                    .hasMessageContaining("not the pinned");
        }
    }

    @Test
    void aTlsTerminatingImpostorFailsTheHandshakeEvenRelayingEveryByte() throws Exception {
        SelfSignedCertificate impostorCert = SelfSignedCertificate.generate("impostor", List.of("localhost"), List.of());
        try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).json(true)
                .keys(AuthenticatedJsonTest.KEY.toKeyring()).tls(selfSigned).start();
             TlsTerminatingProxy impostor = new TlsTerminatingProxy(impostorCert.key(), impostorCert.certificate(),
                     server.boundEndpoints().get(0).inetSocketAddress())) {
            // The client was fooled into trusting the impostor's certificate; the shared key still exposes it.
            ClientConfig.Builder fooled = client(Endpoint.tcp("127.0.0.1", impostor.port())).json(true)
                    .keys(AuthenticatedJsonTest.KEY.toKeyring())
                    .tls(ClientTls.pinned(dev.jecho.internal.tls.Fingerprint.sha256(impostorCert.certificate())));
            assertThatThrownBy(fooled::connect).isInstanceOf(ClientException.class)
                    .hasMessageContaining("rejected our key")
                    .extracting(e -> ((ClientException) e).reason()).isEqualTo(ClientException.Reason.AUTH);
        }
    }

    @Test
    void aPlainClientAgainstATlsServerFailsClearly() throws Exception {
        try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).keys(AuthenticatedJsonTest.KEY.toKeyring())
                .tls(selfSigned).start()) {
            ClientConfig.Builder plain = client(server.boundEndpoints().get(0)).keys(AuthenticatedJsonTest.KEY.toKeyring())
                    .handshakeTimeout(Duration.ofSeconds(2));
            assertThatThrownBy(plain::connect).isInstanceOf(ClientException.class);
        }
    }
}
