package dev.jecho.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A file the CLI cannot use is named with why, on one line; a key that is no secret is refused. */
class FileAndKeyErrorsCliTest {

    /** 32 bytes of zero: valid base64 and long enough, but no secret. */
    private static final String ZERO_KEY = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

    @TempDir
    Path dir;

    private Path keyFile(String name, String line) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, line + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    @Test
    void keygenIntoADirectoryThatDoesNotExistSaysSo() {
        Path file = dir.resolve("x").resolve("y.key");
        CliTestSupport.Result r = CliTestSupport.run("", "keygen", file.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.errLines()).containsExactly("jecho: cannot write " + file + ": no such directory");
    }

    @Test
    void aKeyFileThatIsADirectorySaysSo() {
        CliTestSupport.Result r = CliTestSupport.run("", "client", "127.0.0.1:1", "--secret-file", dir.toString(), "-m", "x");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.errLines()).containsExactly("jecho: cannot read key file " + dir + ": is a directory");
    }

    @Test
    void aMissingCertificateSaysSo() {
        Path cert = dir.resolve("cert.pem");
        CliTestSupport.Result r = CliTestSupport.run("", "server", "--tcp", "127.0.0.1:0",
                "--tls-cert", cert.toString(), "--tls-key", dir.resolve("key.pem").toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.errLines()).containsExactly("jecho: cannot read the certificate " + cert + ": no such file");
    }

    @Test
    void aMissingIntervalLogSaysSo() {
        Path log = dir.resolve("a.hlog");
        CliTestSupport.Result r = CliTestSupport.run("", "bench", "merge", log.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.errLines()).containsExactly("jecho: cannot read " + log + ": no such file");
    }

    @Test
    void anAllZeroKeyIsRefused() throws Exception {
        Path file = keyFile("zero.key", "k1:" + ZERO_KEY);
        CliTestSupport.Result r = CliTestSupport.run("", "client", "127.0.0.1:1", "--secret-file", file.toString(), "-m", "x");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.errLines()).containsExactly("jecho: key file " + file
                + " line 1: key is all zero bytes, which is no secret (make one with: jecho keygen)");
        CliTestSupport.Result env = CliTestSupport.runWithEnv(Map.of("JECHO_SECRET", ZERO_KEY), "", "client", "127.0.0.1:1", "-m", "x");
        assertThat(env.exitCode()).isEqualTo(1);
        assertThat(env.errLines()).containsExactly("jecho: JECHO_SECRET line 1: key is all zero bytes, which is no secret"
                + " (make one with: jecho keygen)");
    }

    @Test
    void aSetButBlankSecretVariableIsAnErrorNotAuthenticationOff() {
        for (String blank : new String[] {"", "  ", "\n"}) {
            for (String[] args : new String[][] {
                    // a listener that cannot open: were the blank variable taken for "no key", this ends too
                    {"server", "--unix", dir.resolve("none").resolve("s.sock").toString()},
                    {"client", "127.0.0.1:1", "-m", "x"}}) {
                CliTestSupport.Result r = CliTestSupport.runWithEnv(Map.of("JECHO_SECRET", blank), "", args);
                assertThat(r.exitCode()).as("%s with '%s'", args[0], blank).isEqualTo(1);
                assertThat(r.errLines()).containsExactly("jecho: JECHO_SECRET is set but blank: give it a key"
                        + " (jecho keygen prints one), or unset it to run without one");
            }
        }
    }

    @Test
    void aKeyFileOfAnotherUserIsRefused() throws Exception {
        Path file = keyFile("theirs.key", "k1:WlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlo=");
        assumeTrue((Integer) Files.getAttribute(file, "unix:uid") == 0, "only root can give a file to another user");
        Files.setAttribute(file, "unix:uid", 65534);
        CliTestSupport.Result r = CliTestSupport.run("", "client", "127.0.0.1:1", "--secret-file", file.toString(), "-m", "x");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.errLines()).singleElement().asString()
                .startsWith("jecho: key file " + file + " is owned by ")
                .endsWith(", not by root (the user jecho runs as): its owner could change it; run: chown root " + file);
    }
}
