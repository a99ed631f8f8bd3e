package dev.jecho.cli;

import dev.jecho.ClientTls;
import dev.jecho.TlsException;
import dev.jecho.internal.tls.Fingerprint;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --tls} and how the server's certificate is checked: the options of every command that connects. */
final class ClientTlsOptions {

    @Option(names = "--tls",
            description = "Use TLS and verify the server's certificate (the system's CAs and the host name) unless"
                    + " --tls-ca, --pin-sha256 or --insecure says otherwise.")
    boolean tls;

    @Option(names = "--tls-ca", paramLabel = "PEM", description = "Trust the CA certificates in PEM (implies --tls).")
    Path tlsCa;

    @Option(names = "--pin-sha256", paramLabel = "FINGERPRINT",
            description = "Trust exactly the certificate with this SHA-256 fingerprint, as the server prints it (implies --tls).")
    String pinSha256;

    @Option(names = "--insecure", description = "TLS without checking the server's certificate at all (implies --tls; says so on stderr).")
    boolean insecure;

    /** Whether the certificate options say how to check the server (each implies TLS). */
    boolean trustGiven() {
        return tlsCa != null || pinSha256 != null || insecure;
    }

    /** Whether the options ask for TLS. */
    boolean requested() {
        return tls || trustGiven();
    }

    /**
     * The client's TLS, or null when neither the options nor {@code wanted} ask for it.
     *
     * @throws CliException for options that contradict each other (usage) or a CA file that cannot be used
     */
    ClientTls build(Io io, boolean wanted) {
        int trustOptions = (tlsCa != null ? 1 : 0) + (pinSha256 != null ? 1 : 0) + (insecure ? 1 : 0);
        if (trustOptions > 1) {
            throw new CliException(ExitCodes.USAGE, "choose one of --tls-ca, --pin-sha256 and --insecure");
        }
        if (!wanted && !requested()) {
            return null;
        }
        try {
            if (insecure) {
                io.err().println("jecho: warning: --insecure: the server's certificate is not checked; anyone on the path"
                        + " can pose as the server");
                io.err().flush();
                return ClientTls.insecure();
            }
            if (pinSha256 != null) {
                return ClientTls.pinned(Fingerprint.parse(pinSha256));
            }
            return tlsCa != null ? ClientTls.trustingCa(tlsCa) : ClientTls.systemTrust();
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage());
        } catch (TlsException e) {
            throw new CliException(ExitCodes.ERROR, e.getMessage());
        }
    }
}
