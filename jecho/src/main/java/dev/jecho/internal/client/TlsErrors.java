package dev.jecho.internal.client;

import dev.jecho.ClientException;
import dev.jecho.ClientTls;
import io.netty.handler.ssl.NotSslRecordException;

import java.security.cert.CertificateException;

/** Turns a failed TLS handshake into one sentence that says what to do. */
final class TlsErrors {

    private TlsErrors() {
    }

    /**
     * @param opening the connection's first bytes, or null when they were not kept: they tell a server
     *                without TLS that echoed our TLS hello, or began jecho's handshake
     */
    static ClientException describe(String peer, ClientTls tls, Throwable cause, ServerOpening opening) {
        Throwable root = cause;
        String certificateProblem = null;
        boolean notTls = false;
        while (root != null) {
            if (root instanceof CertificateException) {
                certificateProblem = root.getMessage();
            }
            notTls |= root instanceof NotSslRecordException;
            if (root.getCause() == null || root.getCause() == root) {
                break;
            }
            root = root.getCause();
        }
        if (opening != null && opening.echoedOurs()) {
            // A plain echo server sends our TLS hello back; the TLS engine only says "unexpected handshake message".
            return new ClientException(ClientException.Reason.AUTH,
                    peer + " does not speak TLS: it echoed our TLS hello (drop --tls?)", cause);
        }
        if (notTls) {
            boolean jecho = opening != null && opening.met() == ServerOpening.Met.JECHO_HELLO;
            return new ClientException(ClientException.Reason.AUTH, peer + " does not speak TLS"
                    + (jecho ? ": it began jecho's handshake" : "") + " (drop --tls?)", cause);
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
