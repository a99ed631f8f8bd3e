package dev.jecho.cli;

import org.jline.reader.impl.history.DefaultHistory;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * JLine's history, kept in a file readable by its owner only: what a user typed may be secret. JLine
 * opens the file with CREATE under the umask (0644 as a rule), and rewrites an old or damaged one by
 * deleting and creating it again; here every write finds the file already there with mode 0600, created
 * so from the start rather than chmod-ed after the fact.
 */
final class PrivateHistory extends DefaultHistory {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path file;

    /** @param file the reader's {@code LineReader.HISTORY_FILE} */
    PrivateHistory(Path file) {
        this.file = file;
    }

    /**
     * Creates the file with mode 0600, or narrows an existing one that others may read to 0600, as
     * redis-cli and psql do with theirs (ssh refuses a private key others can read, but a history file is
     * ours to fix: refusing to start would help nobody, keeping it readable would leak).
     */
    static void createPrivately(Path file) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (FileAlreadyExistsException e) {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (!OWNER_ONLY.containsAll(permissions)) {
                permissions.retainAll(OWNER_ONLY);
                Files.setPosixFilePermissions(file, permissions);
            }
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its own access control applies
        }
    }

    @Override
    public void save() throws IOException {
        createPrivately(file); // it may have been removed meanwhile
        super.save();
    }

    @Override
    public void append(Path to, boolean incremental) throws IOException {
        createPrivately(to != null ? to : file);
        super.append(to, incremental);
    }

    /** JLine's write deletes the file and lets the next open create it under the umask; this recreates it 0600. */
    @Override
    public void write(Path to, boolean incremental) throws IOException {
        Path path = to != null ? to : file;
        Files.deleteIfExists(path);
        createPrivately(path);
        super.append(path, incremental);
    }
}
