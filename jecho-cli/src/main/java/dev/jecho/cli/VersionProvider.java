package dev.jecho.cli;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Properties;

/**
 * {@code jecho --version}: jecho's version, and the Netty and Java it runs with; with {@code --verbose}
 * (or a command's {@code -v}) also which native transports load. Probing them loads and links their
 * native libraries, which costs more than the rest of the answer, so a plain {@code --version} does not.
 */
final class VersionProvider implements CommandLine.IVersionProvider {

    @Spec
    CommandSpec spec;

    static String jechoVersion() {
        String fromManifest = Main.class.getPackage().getImplementationVersion();
        if (fromManifest != null) {
            return fromManifest;
        }
        try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /**
     * The version of Netty's transport, from the file {@code io.netty.util.Version} reads it from (every
     * Netty jar has one; the shaded jar merges them): without initializing Netty, which would start
     * logging and probe the platform, several times the work of the rest of {@code --version}.
     */
    static String nettyVersion() {
        Properties versions = new Properties();
        try {
            Enumeration<URL> files = VersionProvider.class.getClassLoader().getResources("META-INF/io.netty.versions.properties");
            while (files.hasMoreElements()) {
                try (InputStream in = files.nextElement().openStream()) {
                    versions.load(in);
                }
            }
        } catch (IOException e) {
            return "unknown";
        }
        return versions.getProperty("netty-transport.version", "unknown");
    }

    @Override
    public String[] getVersion() {
        List<String> lines = new ArrayList<>(List.of(
                "jecho " + jechoVersion(),
                "Netty " + nettyVersion()
                        + ", Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"));
        if (verbose()) {
            lines.add("native transports: epoll " + (Epoll.isAvailable() ? "available" : "unavailable")
                    + ", io_uring " + (IoUring.isAvailable() ? "available" : "unavailable"));
        }
        return lines.toArray(new String[0]);
    }

    /** Whether the command's --verbose was given: a flag on {@code jecho}, a repeatable {@code -v} on a verb. */
    private boolean verbose() {
        OptionSpec option = spec == null ? null : spec.findOption("--verbose");
        if (option == null) {
            return false;
        }
        Object value = option.getValue();
        return value instanceof Boolean b ? b : value instanceof boolean[] many && many.length > 0;
    }
}
