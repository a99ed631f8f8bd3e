package dev.jecho.internal.tls;

import dev.jecho.ServerTls;
import dev.jecho.TlsException;
import dev.jecho.internal.files.FileErrors;
import dev.jecho.internal.files.PrivateFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.List;
import java.util.function.Function;

/**
 * Keeps the self-signed certificate of {@code jecho server --tls} between starts, so that its fingerprint,
 * which clients pin with {@code --pin-sha256}, stays the same. One file, {@value #FILE}, holds the private
 * key and the certificate: mode 0600, in a directory of mode 0700, both refused if another user could
 * change them. It is made once, when absent, in a temporary file linked into place: of two servers
 * starting at once in an empty directory, one writes it and the other uses what that one wrote, and no
 * one ever reads half a file. A damaged file is refused with what to do, never silently replaced; an
 * expired certificate is replaced, with a warning that its pins change.
 */
public final class SelfSignedStore {

    public static final String FILE = "self-signed.pem";
    public static final String COMMON_NAME = "jecho self-signed";

    private static final Logger LOG = LoggerFactory.getLogger(SelfSignedStore.class);

    private SelfSignedStore() {
    }

    /**
     * Where the certificate is kept unless told: {@code $STATE_DIRECTORY/tls} under systemd
     * ({@code StateDirectory=}; the first if it lists several), else {@code $XDG_STATE_HOME/jecho/tls},
     * else {@code ~/.local/state/jecho/tls} (the XDG default; {@code $HOME}, else {@code userHome}).
     */
    public static Path defaultDirectory(Function<String, String> env, String userHome) {
        String systemd = env.apply("STATE_DIRECTORY");
        if (systemd != null && !systemd.isBlank()) {
            return Path.of(systemd.split(":")[0]).resolve("tls");
        }
        String xdg = env.apply("XDG_STATE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) { // the XDG spec ignores a relative one
            return Path.of(xdg, "jecho", "tls");
        }
        String home = env.apply("HOME");
        return Path.of(home != null && !home.isBlank() ? home : userHome, ".local", "state", "jecho", "tls");
    }

    /**
     * The certificate kept in {@code dir}; made (for these names) and kept there first if there is none.
     *
     * @throws TlsException naming the file or directory that cannot be used, and why
     */
    public static ServerTls load(Path dir, List<String> dnsNames, List<InetAddress> addresses) throws TlsException {
        Path file = dir.resolve(FILE);
        try {
            PrivateFiles.directory(dir);
            refuseIfUnsafe("TLS state directory", dir);
            if (!Files.exists(file)) {
                make(file, dnsNames, addresses);
            }
            SelfSignedCertificate cert = read(file);
            try {
                cert.certificate().checkValidity();
            } catch (CertificateExpiredException | CertificateNotYetValidException e) {
                cert = SelfSignedCertificate.generate(COMMON_NAME, dnsNames, addresses);
                PrivateFiles.replace(file, cert.pem().getBytes(StandardCharsets.US_ASCII));
                LOG.warn("the self-signed certificate in {} was not valid now ({}): made a new one; clients that pin"
                        + " the old fingerprint need the new one", file, e.getMessage());
            }
            return TlsContexts.selfSigned(cert, file);
        } catch (IOException e) {
            Path what = Files.isDirectory(dir) ? file : dir;
            throw new TlsException(FileErrors.cannot(what == dir ? "use the TLS state directory" : "keep the TLS state in",
                    what, e), e);
        }
    }

    /** Writes a new certificate unless another process does it first; either way the file is whole. */
    private static void make(Path file, List<String> dnsNames, List<InetAddress> addresses) throws IOException {
        SelfSignedCertificate cert = SelfSignedCertificate.generate(COMMON_NAME, dnsNames, addresses);
        if (PrivateFiles.createWhole(file, cert.pem().getBytes(StandardCharsets.US_ASCII))) {
            LOG.info("made a new self-signed certificate, kept in {}", file);
        }
    }

    private static SelfSignedCertificate read(Path file) throws IOException, TlsException {
        refuseIfUnsafe("TLS state file", file);
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        try {
            return SelfSignedCertificate.parse(pem);
        } catch (IllegalArgumentException e) {
            throw new TlsException("cannot use the TLS state file " + file + ": " + e.getMessage()
                    + " (remove it, and a new certificate is made at the next start: clients pinning the old"
                    + " fingerprint then need the new one)", e);
        }
    }

    private static void refuseIfUnsafe(String what, Path path) throws IOException, TlsException {
        String problem = PrivateFiles.problem(path);
        if (problem != null) {
            throw new TlsException(what + " " + path + " " + problem, null);
        }
    }
}
