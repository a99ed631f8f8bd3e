package dev.jecho;

import dev.jecho.internal.tls.PinningTrustManager;
import dev.jecho.internal.tls.TlsContexts;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import javax.net.ssl.SSLException;

/**
 * How a client checks the server's certificate. By default it verifies, as browsers do: the system's
 * CAs (or {@link #trustingCa the given CA}) and the host name. {@link #pinned} trusts one certificate by
 * fingerprint; {@link #insecure} trusts anything and is only for trying things out.
 */
public final class ClientTls {

    static {
        TlsContexts.CLIENT.open(tls -> tls.context);
    }

    private final SslContext context;
    private final boolean checksHostName;
    private final String description;

    private ClientTls(SslContext context, boolean checksHostName, String description) {
        this.context = context;
        this.checksHostName = checksHostName;
        this.description = description;
    }

    private static SslContextBuilder builder() {
        return SslContextBuilder.forClient().protocols(ServerTls.PROTOCOLS);
    }

    /**
     * The JDK's CA certificates and the host name.
     *
     * @return the client TLS
     * @throws TlsException when TLS cannot be set up here
     */
    public static ClientTls systemTrust() throws TlsException {
        return build(builder().endpointIdentificationAlgorithm("HTTPS"), true, "the system's CA certificates");
    }

    /**
     * The CA certificates in a PEM file (the server's own certificate, for a self-signed one) and the host name.
     *
     * @param caPem the PEM file
     * @return the client TLS
     * @throws TlsException naming the file when it cannot be read or holds no certificate
     */
    public static ClientTls trustingCa(Path caPem) throws TlsException {
        byte[] pem = ServerTls.readPem("the CA file", caPem);
        try {
            return build(builder().trustManager(new ByteArrayInputStream(pem)).endpointIdentificationAlgorithm("HTTPS"), true,
                    "the CA in " + caPem);
        } catch (IllegalArgumentException e) {
            throw new TlsException("cannot use the CA file " + caPem + ": " + e.getMessage() + " (expected PEM certificates)", e);
        }
    }

    /**
     * Exactly the certificate with this SHA-256 fingerprint (the host name is not checked: the pin says it all).
     *
     * @param sha256 the fingerprint's 32 bytes (a server prints it as {@code AB:CD:...})
     * @return the client TLS
     * @throws TlsException when TLS cannot be set up here
     */
    public static ClientTls pinned(byte[] sha256) throws TlsException {
        return build(builder().trustManager(new PinningTrustManager(sha256)).endpointIdentificationAlgorithm(null), false,
                "the pinned fingerprint");
    }

    /**
     * Any certificate at all: encryption without authentication of the server.
     *
     * @return the client TLS
     * @throws TlsException when TLS cannot be set up here
     */
    public static ClientTls insecure() throws TlsException {
        return build(builder().trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null), false,
                "nothing (--insecure)");
    }

    private static ClientTls build(SslContextBuilder builder, boolean checksHostName, String description) throws TlsException {
        try {
            return new ClientTls(builder.build(), checksHostName, description);
        } catch (SSLException e) {
            throw new TlsException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /**
     * Whether the server's certificate must name the host connected to.
     *
     * @return true for {@link #systemTrust()} and {@link #trustingCa}
     */
    public boolean checksHostName() {
        return checksHostName;
    }

    /**
     * What the server's certificate is checked against, for messages.
     *
     * @return e.g. {@code the system's CA certificates}
     */
    public String description() {
        return description;
    }
}
