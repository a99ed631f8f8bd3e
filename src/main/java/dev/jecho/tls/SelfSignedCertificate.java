package dev.jecho.tls;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * A self-signed certificate made at run time for {@code jecho server --tls} without files: an ECDSA P-256
 * key and an X.509 v3 certificate written with the JDK alone (Netty's {@code SelfSignedCertificate} is
 * deprecated in 4.2 and the alternatives pull in BouncyCastle). Clients trust it by its SHA-256
 * fingerprint ({@code --pin-sha256}), which the server prints.
 */
public final class SelfSignedCertificate {

    private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
    private static final String COMMON_NAME = "2.5.4.3";
    private static final String SUBJECT_ALT_NAME = "2.5.29.17";

    private final PrivateKey key;
    private final X509Certificate certificate;

    private SelfSignedCertificate(PrivateKey key, X509Certificate certificate) {
        this.key = key;
        this.certificate = certificate;
    }

    /**
     * @param dnsNames and {@code addresses}: the subject alternative names, for clients that check the host name
     */
    public static SelfSignedCertificate generate(String commonName, List<String> dnsNames, List<InetAddress> addresses) {
        try {
            SecureRandom random = new SecureRandom();
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair pair = generator.generateKeyPair();

            byte[] name = Der.sequence(Der.set(Der.sequence(Der.oid(COMMON_NAME), Der.utf8String(commonName))));
            byte[] algorithm = Der.sequence(Der.oid(ECDSA_WITH_SHA256));
            ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC).withNano(0);
            byte[][] altNames = new byte[dnsNames.size() + addresses.size()][];
            int i = 0;
            for (String dns : dnsNames) {
                altNames[i++] = Der.implicit(2, dns.getBytes(StandardCharsets.US_ASCII));
            }
            for (InetAddress address : addresses) {
                altNames[i++] = Der.implicit(7, address.getAddress());
            }
            byte[] extensions = Der.explicit(3, Der.sequence(
                    Der.sequence(Der.oid(SUBJECT_ALT_NAME), Der.octetString(Der.sequence(altNames)))));
            byte[] tbs = Der.sequence(
                    Der.explicit(0, Der.integer(BigInteger.TWO)),                 // version 3
                    Der.integer(new BigInteger(63, random).add(BigInteger.ONE)),  // positive serial
                    algorithm,
                    name,
                    Der.sequence(Der.time(now.minusDays(1)), Der.time(now.plusYears(1))),
                    name,
                    pair.getPublic().getEncoded(),                                 // SubjectPublicKeyInfo
                    extensions);
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(pair.getPrivate(), random);
            signer.update(tbs);
            byte[] der = Der.sequence(tbs, algorithm, Der.bitString(signer.sign()));
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
            certificate.verify(pair.getPublic());
            return new SelfSignedCertificate(pair.getPrivate(), certificate);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a self-signed certificate: " + e.getMessage(), e);
        }
    }

    public PrivateKey key() {
        return key;
    }

    public X509Certificate certificate() {
        return certificate;
    }
}
