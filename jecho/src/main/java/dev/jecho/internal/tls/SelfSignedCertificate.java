package dev.jecho.internal.tls;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Base64;
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
    private static final String PRIVATE_KEY = "PRIVATE KEY";
    private static final String CERTIFICATE = "CERTIFICATE";

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
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC).withNano(0);
        return generate(commonName, dnsNames, addresses, now.minusDays(1), now.plusYears(1));
    }

    /** As {@link #generate(String, List, List)}, valid from {@code notBefore} to {@code notAfter}. */
    static SelfSignedCertificate generate(String commonName, List<String> dnsNames, List<InetAddress> addresses,
            ZonedDateTime notBefore, ZonedDateTime notAfter) {
        try {
            SecureRandom random = new SecureRandom();
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair pair = generator.generateKeyPair();

            byte[] name = Der.sequence(Der.set(Der.sequence(Der.oid(COMMON_NAME), Der.utf8String(commonName))));
            byte[] algorithm = Der.sequence(Der.oid(ECDSA_WITH_SHA256));
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
                    Der.sequence(Der.time(notBefore), Der.time(notAfter)),
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

    /** The key (PKCS#8) and the certificate, as one PEM text: what {@link #parse} reads back. */
    public String pem() {
        try {
            return pemBlock(PRIVATE_KEY, key.getEncoded()) + pemBlock(CERTIFICATE, certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode a certificate: " + e.getMessage(), e);
        }
    }

    /**
     * Reads what {@link #pem} wrote.
     *
     * @throws IllegalArgumentException saying what is missing or damaged
     */
    public static SelfSignedCertificate parse(String pem) {
        byte[] keyDer = pemBlock(pem, PRIVATE_KEY);
        byte[] certificateDer = pemBlock(pem, CERTIFICATE);
        try {
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(certificateDer));
            PrivateKey key = KeyFactory.getInstance(certificate.getPublicKey().getAlgorithm())
                    .generatePrivate(new PKCS8EncodedKeySpec(keyDer));
            // The key must be the certificate's: sign with one, verify with the other.
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(key);
            signer.update(certificateDer);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(certificateDer);
            if (!verifier.verify(signature)) {
                throw new IllegalArgumentException("the private key is not the certificate's");
            }
            return new SelfSignedCertificate(key, certificate);
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException("damaged key or certificate (" + e.getMessage() + ")", e);
        }
    }

    private static String pemBlock(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] pemBlock(String pem, String type) {
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int from = pem.indexOf(begin);
        int to = from < 0 ? -1 : pem.indexOf(end, from);
        if (to < 0) {
            throw new IllegalArgumentException("no " + type.toLowerCase(java.util.Locale.ROOT) + " in it");
        }
        try {
            return Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("its " + type.toLowerCase(java.util.Locale.ROOT) + " is not base64");
        }
    }

    public PrivateKey key() {
        return key;
    }

    public X509Certificate certificate() {
        return certificate;
    }
}
