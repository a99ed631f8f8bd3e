package dev.jecho.client;

import dev.jecho.tls.ClientTls;
import io.netty.handler.ssl.NotSslRecordException;

import java.security.cert.CertificateException;

/** Turns a failed TLS handshake into one sentence that says what to do. */
final class TlsErrors {

    private TlsErrors() {
    }

    static ClientException describe(String peer, ClientTls tls, Throwable cause) {
        Throwable root = cause;
        String certificateProblem = null;
        while (root != null) {
            if (root instanceof CertificateException) {
                certificateProblem = root.getMessage();
            }
            if (root.getCause() == null || root.getCause() == root) {
                break;
            }
            root = root.getCause();
        }
        if (cause instanceof NotSslRecordException) {
            return new ClientException(ClientException.Reason.AUTH,
                    peer + " does not speak TLS (drop --tls, or start the server with --tls)", cause);
        }
        String text = String.valueOf(cause.getMessage()).toLowerCase(java.util.Locale.ROOT);
        if (certificateProblem != null || text.contains("certificate") || text.contains("pkix") || text.contains("subject alternative")) {
            String detail = certificateProblem != null ? certificateProblem : Causes.describe(root);
            return new ClientException(ClientException.Reason.AUTH,
                    "the certificate of " + peer + " is not trusted (checked against " + tls.description() + "): "
                            + shorten(detail) + " (use --tls-ca FILE, or --pin-sha256 with the fingerprint the server printed)", cause);
        }
        return new ClientException(ClientException.Reason.AUTH,
                "TLS handshake with " + peer + " failed: " + shorten(Causes.describe(cause)), cause);
    }

    private static String shorten(String s) {
        String one = s.replace('\n', ' ');
        return one.length() > 200 ? one.substring(0, 200) + "..." : one;
    }
}
