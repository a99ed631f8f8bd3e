package dev.jecho.internal.tls;

import dev.jecho.ServerTls;
import dev.jecho.TlsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The self-signed certificate of {@code --tls} survives a restart, and so does its fingerprint. */
class SelfSignedStoreTest {

    private static final List<String> NAMES = List.of("localhost");

    @TempDir
    Path dir;

    private static List<InetAddress> loopback() throws Exception {
        return List.of(InetAddress.getByName("127.0.0.1"));
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void theCertificateIsMadeOnceKeptForItsOwnerAndUsedAgain() throws Exception {
        Path state = dir.resolve("state").resolve("tls");
        ServerTls first = SelfSignedStore.load(state, NAMES, loopback());
        ServerTls again = SelfSignedStore.load(state, NAMES, loopback());
        assertThat(again.fingerprint()).isEqualTo(first.fingerprint());
        assertThat(first.isSelfSigned()).isTrue();
        assertThat(first.keptIn()).isEqualTo(state.resolve(SelfSignedStore.FILE));
        assertThat(mode(state)).isEqualTo("rwx------");
        assertThat(mode(first.keptIn())).isEqualTo("rw-------");
        try (Stream<Path> files = Files.list(state)) {
            assertThat(files).containsExactly(first.keptIn());
        }
    }

    @Test
    void serversStartingAtOnceInAnEmptyDirectoryAllUseTheOneCertificateWritten() throws Exception {
        Path state = dir.resolve("tls");
        int servers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(servers);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<String>> fingerprints = new ArrayList<>();
            for (int i = 0; i < servers; i++) {
                Callable<String> start = () -> {
                    go.await();
                    return SelfSignedStore.load(state, NAMES, loopback()).fingerprint();
                };
                fingerprints.add(pool.submit(start));
            }
            go.countDown();
            Set<String> distinct = new HashSet<>();
            for (Future<String> f : fingerprints) {
                distinct.add(f.get(60, TimeUnit.SECONDS));
            }
            assertThat(distinct).hasSize(1);
            assertThat(SelfSignedStore.load(state, NAMES, loopback()).fingerprint()).isEqualTo(distinct.iterator().next());
            try (Stream<Path> files = Files.list(state)) {
                assertThat(files.map(p -> p.getFileName().toString())).containsExactly(SelfSignedStore.FILE);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aDamagedFileIsRefusedWithWhatToDoAndLeftAlone() throws Exception {
        Path state = Files.createDirectory(dir.resolve("tls"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path file = state.resolve(SelfSignedStore.FILE);
        Files.writeString(file, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> SelfSignedStore.load(state, NAMES, loopback())).isInstanceOf(TlsException.class)
                .hasMessage("cannot use the TLS state file " + file + ": no certificate in it (remove it, and a new"
                        + " certificate is made at the next start: clients pinning the old fingerprint then need the new one)");
        assertThat(Files.readString(file)).startsWith("-----BEGIN PRIVATE KEY-----\nAAAA");
    }

    @Test
    void aFileOthersMayReadIsRefused() throws Exception {
        Path state = dir.resolve("tls");
        ServerTls made = SelfSignedStore.load(state, NAMES, loopback());
        Files.setPosixFilePermissions(made.keptIn(), PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> SelfSignedStore.load(state, NAMES, loopback())).isInstanceOf(TlsException.class)
                .hasMessage("TLS state file " + made.keptIn() + " is accessible by group or others (mode rw-r--r--);"
                        + " run: chmod 600 " + made.keptIn());
    }

    @Test
    void aStateDirectoryThatCannotBeMadeSaysWhy() throws Exception {
        Path file = Files.writeString(dir.resolve("plain"), "x");
        assertThatThrownBy(() -> SelfSignedStore.load(file.resolve("tls"), NAMES, loopback())).isInstanceOf(TlsException.class)
                .hasMessage("cannot use the TLS state directory " + file.resolve("tls") + ": " + file + " is not a directory");
    }

    @Test
    void anExpiredCertificateIsReplaced() throws Exception {
        Path state = dir.resolve("tls");
        ServerTls kept = SelfSignedStore.load(state, NAMES, loopback());
        ZonedDateTime longAgo = ZonedDateTime.now(ZoneOffset.UTC).withNano(0).minusYears(3);
        SelfSignedCertificate expired = SelfSignedCertificate.generate("old", NAMES, loopback(), longAgo, longAgo.plusYears(1));
        Files.writeString(kept.keptIn(), expired.pem(), StandardCharsets.US_ASCII);
        ServerTls renewed = SelfSignedStore.load(state, NAMES, loopback());
        renewed.certificate().checkValidity();
        assertThat(renewed.fingerprint()).isNotEqualTo(Fingerprint.format(Fingerprint.sha256(expired.certificate())));
        assertThat(SelfSignedStore.load(state, NAMES, loopback()).fingerprint()).isEqualTo(renewed.fingerprint());
    }

    @Test
    void theDefaultPlaceFollowsSystemdThenXdgThenTheHome() {
        assertThat(SelfSignedStore.defaultDirectory(Map.of("STATE_DIRECTORY", "/var/lib/jecho:/var/lib/other",
                "XDG_STATE_HOME", "/x")::get, "/home/me")).isEqualTo(Path.of("/var/lib/jecho/tls"));
        assertThat(SelfSignedStore.defaultDirectory(Map.of("XDG_STATE_HOME", "/x/state")::get, "/home/me"))
                .isEqualTo(Path.of("/x/state/jecho/tls"));
        assertThat(SelfSignedStore.defaultDirectory(Map.of("XDG_STATE_HOME", "relative")::get, "/home/me"))
                .isEqualTo(Path.of("/home/me/.local/state/jecho/tls"));
        assertThat(SelfSignedStore.defaultDirectory(Map.of("HOME", "/home/you")::get, "/home/me"))
                .isEqualTo(Path.of("/home/you/.local/state/jecho/tls"));
        assertThat(SelfSignedStore.defaultDirectory(Map.<String, String>of()::get, "/home/me"))
                .isEqualTo(Path.of("/home/me/.local/state/jecho/tls"));
    }
}
