package dev.jecho.cli;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import io.netty.util.Version;
import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** {@code jecho --version}: jecho's version, and the Netty, Java and native transports it runs with. */
final class VersionProvider implements CommandLine.IVersionProvider {

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

    @Override
    public String[] getVersion() {
        Version netty = Version.identify().get("netty-transport");
        return new String[] {
                "jecho " + jechoVersion(),
                "Netty " + (netty == null ? "unknown" : netty.artifactVersion())
                        + ", Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
                "native transports: epoll " + (Epoll.isAvailable() ? "available" : "unavailable")
                        + ", io_uring " + (IoUring.isAvailable() ? "available" : "unavailable"),
        };
    }
}
