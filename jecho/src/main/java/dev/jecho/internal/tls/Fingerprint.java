package dev.jecho.internal.tls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;

/** SHA-256 certificate fingerprints, printed as {@code AB:CD:...} and accepted with or without colons. */
public final class Fingerprint {

    private Fingerprint() {
    }

    public static byte[] sha256(X509Certificate certificate) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint a certificate: " + e.getMessage(), e);
        }
    }

    /** {@code AB:CD:...}, the form openssl prints ({@code openssl x509 -noout -fingerprint -sha256}). */
    public static String format(byte[] fingerprint) {
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(fingerprint);
    }

    /**
     * Parses 64 hex digits, with or without colons, optionally prefixed {@code sha256/} or {@code SHA256:}.
     *
     * @throws IllegalArgumentException with a message fit for a user
     */
    public static byte[] parse(String text) {
        String t = text.strip();
        String lower = t.toLowerCase(Locale.ROOT);
        if (lower.startsWith("sha256/") || lower.startsWith("sha256:")) {
            t = t.substring(7);
        }
        String hex = t.replace(":", "").replace(" ", "");
        if (hex.length() != 64) {
            throw new IllegalArgumentException("'" + text + "' is not a SHA-256 fingerprint: expected 64 hex digits"
                    + " (colons allowed), as the server prints it");
        }
        try {
            return HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not a SHA-256 fingerprint: expected hex digits");
        }
    }
}
