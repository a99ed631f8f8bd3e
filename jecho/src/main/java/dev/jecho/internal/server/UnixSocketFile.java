package dev.jecho.internal.server;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The file of a Unix-socket listener: a stale one from a dead server is replaced, a live one is kept, and the
 * socket is reachable by its owner only from the moment its path exists.
 */
final class UnixSocketFile {

    private static final Set<PosixFilePermission> OWNER_READ_WRITE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    /** sun_path holds 108 bytes with the terminating NUL. */
    private static final int MAX_SOCKET_PATH = 107;
    /** What the staged socket's path adds to its directory's: {@code /.jXXXX/s}. */
    private static final int STAGING_EXTRA = 9;
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

    /** Binds a listener at a path and returns it; on failure, whatever it opened is closed or will be. */
    @FunctionalInterface
    interface Binder<T> {
        T bind(Path at) throws IOException;
    }

    /**
     * Binds a socket that only its owner can ever reach at {@code target}. A socket file is created with the
     * process's umask (Java cannot change it, nor fchmod a socket before bind), so it is bound in a fresh
     * directory of mode 0700 beside the target, where no one else can reach it, made 0600, and only then
     * linked to the target: the path never names a socket others may connect to, not even for an instant.
     * A link, unlike a rename, never replaces a file that appeared at the target meanwhile.
     *
     * @throws IOException with a readable message when the directory, the mode or the link fail, or what the
     *                     binder threw
     */
    static <T> T bindPrivately(Path target, Binder<T> binder) throws IOException {
        if (target.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH) {
            throw new IOException("the path is too long: a socket path has at most " + MAX_SOCKET_PATH + " bytes");
        }
        Path staging = createStagingDirectory(target.toAbsolutePath().getParent());
        try {
            Path staged = staging.resolve("s");
            T bound = binder.bind(staged);
            try {
                Files.setPosixFilePermissions(staged, OWNER_READ_WRITE);
            } catch (IOException e) {
                throw new IOException("cannot restrict the socket file to its owner: " + e.getMessage(), e);
            }
            try {
                Files.createLink(target, staged);
            } catch (FileAlreadyExistsException e) {
                throw new IOException("the path was taken while the socket was being bound (another server?)", e);
            } catch (IOException | UnsupportedOperationException e) {
                throw new IOException("cannot link the socket into place: " + e.getMessage(), e);
            }
            return bound;
        } finally {
            deleteStaging(staging);
        }
    }

    /** A new directory of mode 0700 in {@code parent}, on the target's file system (a link cannot cross one). */
    private static Path createStagingDirectory(Path parent) throws IOException {
        int stagedLength = parent.toString().getBytes(StandardCharsets.UTF_8).length + STAGING_EXTRA;
        if (stagedLength > MAX_SOCKET_PATH) {
            throw new IOException("the socket's directory path is too long: the socket is first bound in a private"
                    + " directory there, and a socket path has at most " + MAX_SOCKET_PATH + " bytes (keep the"
                    + " directory's path under " + (MAX_SOCKET_PATH - STAGING_EXTRA + 1) + " bytes)");
        }
        for (int attempt = 0; ; attempt++) {
            Path dir = parent.resolve(".j" + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36, 36 * 36 * 36 * 36), 36));
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
                Files.setPosixFilePermissions(dir, OWNER_ONLY_DIRECTORY); // the umask may have taken more than others' bits
                return dir;
            } catch (FileAlreadyExistsException taken) {
                if (attempt == 16) {
                    throw taken;
                }
            } catch (AccessDeniedException e) {
                throw new IOException("permission denied (choose a directory you can write to)", e);
            }
        }
    }

    private static void deleteStaging(Path staging) {
        try {
            Files.deleteIfExists(staging.resolve("s"));
            Files.deleteIfExists(staging);
        } catch (IOException ignored) {
            // best effort: an empty directory of mode 0700, harmless
        }
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
