package dev.jecho.internal.protocol.handshake;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslHandler;

import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * TLS channel binding: the SHA-256 of the server's certificate, which both proofs cover when TLS is on.
 * A TLS-terminating impostor presents its own certificate, so the proofs computed on its two sides differ
 * and the handshake fails even if it relays every byte.
 */
final class ChannelBinding {

    static final byte[] NONE = new byte[0];

    private ChannelBinding() {
    }

    /** The binding for this pipeline: empty without TLS. */
    static byte[] of(ChannelPipeline pipeline, boolean server) {
        SslHandler ssl = pipeline.get(SslHandler.class);
        if (ssl == null) {
            return NONE;
        }
        SSLSession session = ssl.engine().getSession();
        try {
            Certificate[] chain = server ? session.getLocalCertificates() : session.getPeerCertificates();
            if (chain == null || chain.length == 0) {
                throw new IllegalStateException("TLS session without a server certificate");
            }
            return HandshakeCrypto.sha256(chain[0].getEncoded());
        } catch (SSLPeerUnverifiedException | CertificateEncodingException e) {
            throw new IllegalStateException("no server certificate to bind to: " + e.getMessage(), e);
        }
    }
}
