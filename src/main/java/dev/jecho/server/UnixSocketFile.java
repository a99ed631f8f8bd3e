package dev.jecho.server;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** The file of a Unix-socket listener: a stale one from a dead server is replaced, a live one is kept. */
final class UnixSocketFile {

    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private UnixSocketFile() {
    }

    /**
     * Makes the path free to bind: removes a socket file nobody listens on.
     *
     * @return a problem description if the path cannot be used, or null
     */
    static String prepare(Path path) {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                return "directory " + parent + " does not exist";
            }
            return null;
        }
        if (!isSocket(path)) {
            return "the path exists and is not a socket (remove it or choose another path)";
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(path));
            return "a running server is listening there (stop it or choose another path)";
        } catch (IOException refused) {
            try {
                Files.deleteIfExists(path);
                return null;
            } catch (IOException e) {
                return "a stale socket file is in the way and cannot be removed: " + e.getMessage();
            }
        }
    }

    /** Only the owner may connect: the socket file gets mode 0600. */
    static void restrictToOwner(Path path) throws IOException {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
    }

    static void delete(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // best effort at shutdown; a stale file is replaced at the next start
        }
    }

    private static boolean isSocket(Path path) {
        try {
            int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return (mode & S_IFMT) == S_IFSOCK;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }
}
