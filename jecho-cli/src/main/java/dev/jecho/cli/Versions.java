package dev.jecho.cli;

import dev.jecho.Transport;
import dev.jecho.internal.transport.NettyTransport;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Properties;

/**
 * What {@code jecho --version} says: jecho's version, and the Netty and Java it runs with; verbose, also
 * which native transports load. Kept apart from picocli, so that a plain {@code jecho --version} answers
 * without building any command model ({@link Main#execute}).
 */
final class Versions {

    private Versions() {
    }

    /**
     * The lines of the answer. Probing the native transports loads and links their native libraries, which
     * costs more than the rest of it, so only {@code verbose} does.
     */
    static List<String> lines(boolean verbose) {
        List<String> lines = new ArrayList<>(List.of(
                "jecho " + jechoVersion(),
                "Netty " + nettyVersion()
                        + ", Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"));
        if (verbose) {
            lines.add("native transports: epoll " + (NettyTransport.available(Transport.EPOLL) ? "available" : "unavailable")
                    + ", io_uring " + (NettyTransport.available(Transport.IO_URING) ? "available" : "unavailable"));
        }
        return lines;
    }

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
            Enumeration<URL> files = Versions.class.getClassLoader().getResources("META-INF/io.netty.versions.properties");
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
}
