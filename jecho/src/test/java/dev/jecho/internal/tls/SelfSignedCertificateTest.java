package dev.jecho.internal.tls;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SelfSignedCertificateTest {

    @Test
    void theCertificateIsAValidSelfSignedX509v3WithTheGivenNames() throws Exception {
        SelfSignedCertificate cert = SelfSignedCertificate.generate("jecho test", List.of("localhost", "echo.example"),
                List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1")));
        X509Certificate x = cert.certificate();
        assertThat(x.getVersion()).isEqualTo(3);
        assertThat(x.getSubjectX500Principal().getName()).isEqualTo("CN=jecho test");
        assertThat(x.getIssuerX500Principal()).isEqualTo(x.getSubjectX500Principal());
        x.verify(x.getPublicKey());
        x.checkValidity();
        assertThat(x.getSubjectAlternativeNames()).extracting(l -> l.get(1).toString())
                .containsExactly("localhost", "echo.example", "127.0.0.1", "0:0:0:0:0:0:0:1");
        assertThat(x.getSigAlgName()).isEqualTo("SHA256withECDSA");
    }

    @Test
    void fingerprintsPrintLikeOpensslAndParseInEveryCommonForm() {
        byte[] fp = new byte[32];
        for (int i = 0; i < 32; i++) {
            fp[i] = (byte) (i * 7);
        }
        String printed = Fingerprint.format(fp);
        assertThat(printed).startsWith("00:07:0E:15:").hasSize(95);
        assertThat(Fingerprint.parse(printed)).isEqualTo(fp);
        assertThat(Fingerprint.parse(printed.replace(":", "").toLowerCase())).isEqualTo(fp);
        assertThat(Fingerprint.parse("sha256/" + printed)).isEqualTo(fp);
        assertThatThrownBy(() -> Fingerprint.parse("AB:CD")).hasMessageContaining("64 hex digits");
    }
}
