package dev.jecho.internal.files;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Files only their owner may read: secrets. Like ssh with a private key (and sshd with
 * {@code authorized_keys} under StrictModes), a file is refused if group or others may read or write it, or
 * if it belongs to anyone but the user jecho runs as or root: that user could change the key or read it.
 * Root is accepted as an owner because root can change any file anyway (sshd accepts root-owned files for
 * the same reason); a file of another ordinary user is refused even when jecho runs as root.
 */
public final class PrivateFiles {

    static final int ROOT = 0;
    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    private PrivateFiles() {
    }

    /**
     * Why {@code file} (a private file or directory) is unsafe to use, as the end of a sentence naming it
     * ({@code "is accessible by group or others (mode rw-r--r--); run: chmod 600 FILE"}), or null if it
     * is safe or the file system has no owners and modes to check.
     */
    public static String problem(Path file) throws IOException {
        return problem(file, processUid());
    }

    static String problem(Path file, int processUid) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view == null) {
            return null; // not a POSIX file system: nothing to check
        }
        PosixFileAttributes attributes = view.readAttributes();
        int ownerUid = uid(file);
        if (processUid >= 0 && ownerUid >= 0 && ownerUid != processUid && ownerUid != ROOT) {
            String user = processUid == ROOT ? "root" : System.getProperty("user.name");
            return "is owned by " + attributes.owner().getName() + ", not by " + user + " (the user jecho runs as)"
                    + (processUid == ROOT ? "" : " or root") + ": its owner could change it; run: chown " + user + " " + file;
        }
        Set<PosixFilePermission> tooOpen = EnumSet.copyOf(attributes.permissions());
        tooOpen.removeAll(OWNER_ONLY_DIRECTORY);
        if (!tooOpen.isEmpty()) {
            return "is accessible by group or others (mode " + PosixFilePermissions.toString(attributes.permissions())
                    + "); run: chmod " + (attributes.isDirectory() ? "700 " : "600 ") + file;
        }
        return null;
    }

    /** Creates a new file readable by its owner only from the start (never briefly open to others). */
    public static void createNew(Path file, byte[] content) throws IOException {
        Files.write(Files.createFile(file, ownerOnly(file.toAbsolutePath().getParent(), OWNER_ONLY)), content);
    }

    /**
     * Writes {@code file} whole if it does not exist, readable by its owner only; false if it exists (another
     * process made it first, or at the same moment: then it is that process's, also whole). The content goes
     * to a temporary file beside it, which is then linked into place: a link, unlike a rename, fails if the
     * file exists.
     */
    public static boolean createWhole(Path file, byte[] content) throws IOException {
        Path temporary = temporary(file, content);
        try {
            try {
                Files.createLink(file, temporary);
            } catch (UnsupportedOperationException noHardLinks) {
                Files.move(temporary, file); // without REPLACE_EXISTING: refuses an existing file, if less atomically
            }
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * Replaces {@code file} with {@code content} atomically: another process reads the old content or the
     * new, never a part. The new content goes to an owner-only temporary file beside it, then is moved over.
     */
    public static void replace(Path file, byte[] content) throws IOException {
        Path temporary = temporary(file, content);
        try {
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** A new owner-only file beside {@code file}, with a name no other writer picks, holding {@code content}. */
    private static Path temporary(Path file, byte[] content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path temporary = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp", ownerOnly(dir, OWNER_ONLY));
        try {
            return Files.write(temporary, content);
        } catch (IOException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
    }

    /** The directory, created with mode 0700 (and its missing parents as the umask says) if absent. */
    public static Path directory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return dir;
        }
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try {
            Files.createDirectory(dir, ownerOnly(parent, OWNER_ONLY_DIRECTORY));
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e; // a file, not a directory
            }
            // made by another process at the same moment: fine
        }
        return dir;
    }

    private static FileAttribute<?>[] ownerOnly(Path dir, Set<PosixFilePermission> permissions) throws IOException {
        if (dir != null && Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class)) {
            return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)};
        }
        return new FileAttribute<?>[0];
    }

    /** The uid that owns the file, or -1 where the file system does not say. */
    private static int uid(Path file) {
        try {
            return (Integer) Files.getAttribute(file, "unix:uid");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return -1;
        }
    }

    /** This process's user id: the owner of {@code /proc/self} on Linux; -1 where that cannot be known. */
    static int processUid() {
        return uid(Path.of("/proc/self"));
    }
}
