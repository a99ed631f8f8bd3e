package dev.jecho;

import dev.jecho.internal.files.FileErrors;
import dev.jecho.internal.tls.Fingerprint;
import dev.jecho.internal.tls.SelfSignedCertificate;
import dev.jecho.internal.tls.SelfSignedStore;
import dev.jecho.internal.tls.TlsContexts;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

/** A server's TLS: the context every stream listener's SslHandler comes from, and its certificate. */
public final class ServerTls {

    static {
        TlsContexts.SERVER.open(new TlsContexts.ServerDoor() {
            @Override
            public SslContext context(ServerTls tls) {
                return tls.context;
            }

            @Override
            public ServerTls selfSigned(SelfSignedCertificate certificate, Path keptIn) {
                return ServerTls.selfSigned(certificate, keptIn);
            }
        });
    }

    /** TLS 1.2 and 1.3 only: older versions have known weaknesses. */
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final SslContext context;
    private final X509Certificate certificate;
    private final boolean selfSigned;
    private final Path keptIn;

    private ServerTls(SslContext context, X509Certificate certificate, boolean selfSigned, Path keptIn) {
        this.context = context;
        this.certificate = certificate;
        this.selfSigned = selfSigned;
        this.keptIn = keptIn;
    }

    /**
     * From PEM files: a certificate chain (leaf first) and its PKCS#8 private key.
     *
     * @param certificateChain the certificates, leaf first
     * @param privateKey       the leaf's unencrypted PKCS#8 key
     * @return the server TLS
     * @throws TlsException naming the file that is wrong
     */
    public static ServerTls fromPem(Path certificateChain, Path privateKey) throws TlsException {
        byte[] chainPem = readPem("the certificate", certificateChain);
        byte[] keyPem = readPem("the key", privateKey);
        X509Certificate leaf;
        try {
            leaf = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(chainPem));
        } catch (CertificateException | ClassCastException e) {
            throw new TlsException("cannot read the certificate " + certificateChain + ": " + e.getMessage()
                    + " (expected a PEM certificate chain, leaf first)", e);
        }
        try {
            SslContext context = SslContextBuilder.forServer(new ByteArrayInputStream(chainPem), new ByteArrayInputStream(keyPem))
                    .protocols(PROTOCOLS).build();
            return new ServerTls(context, leaf, false, null);
        } catch (IOException | IllegalArgumentException e) {
            throw new TlsException("cannot use the key " + privateKey + " with " + certificateChain + ": " + e.getMessage()
                    + " (expected an unencrypted PKCS#8 PEM key, e.g. from openssl genpkey)", e);
        }
    }

    /** The bytes of a PEM file; a file that cannot be read is named with the reason. */
    static byte[] readPem(String what, Path file) throws TlsException {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new TlsException(FileErrors.cannot("read " + what, file, e), e);
        }
    }

    /**
     * A fresh self-signed certificate (EC P-256, valid for a year), for the given names: clients pin its
     * {@link #fingerprint()} or trust it as their CA. It lives as long as this object; the command line keeps its
     * own between starts.
     *
     * @param dnsNames  host names it is valid for, e.g. {@code localhost}
     * @param addresses addresses it is valid for
     * @return the server TLS
     */
    public static ServerTls selfSigned(List<String> dnsNames, List<InetAddress> addresses) {
        return selfSigned(SelfSignedCertificate.generate(SelfSignedStore.COMMON_NAME, dnsNames, addresses), null);
    }

    /** A self-signed certificate and its key, kept in {@code keptIn} (or nowhere: null). */
    private static ServerTls selfSigned(SelfSignedCertificate cert, Path keptIn) {
        try {
            SslContext context = SslContextBuilder.forServer(cert.key(), cert.certificate()).protocols(PROTOCOLS).build();
            return new ServerTls(context, cert.certificate(), true, keptIn);
        } catch (IOException e) {
            throw new IllegalStateException("cannot use the self-signed certificate: " + e.getMessage(), e);
        }
    }

    /**
     * The certificate clients see.
     *
     * @return the leaf certificate
     */
    public X509Certificate certificate() {
        return certificate;
    }

    /**
     * Whether the certificate is self-signed (made by jecho).
     *
     * @return true for {@link #selfSigned}
     */
    public boolean isSelfSigned() {
        return selfSigned;
    }

    /**
     * The file a self-signed certificate and its key are kept in between starts (by the command line).
     *
     * @return the file, or null
     */
    public Path keptIn() {
        return keptIn;
    }

    /**
     * The certificate's SHA-256 fingerprint: what clients pin.
     *
     * @return {@code AB:CD:...}, 32 bytes in hex
     */
    public String fingerprint() {
        return Fingerprint.format(Fingerprint.sha256(certificate));
    }
}
