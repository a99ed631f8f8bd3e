package dev.jecho.internal.files;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Why a file operation failed, in the words a person reads ({@code no such directory}, {@code permission
 * denied}, {@code is a directory}), from the exception's type. The JDK's own message is often just the path
 * again ({@code NoSuchFileException: /x/y.key}), which says nothing the user did not type.
 */
public final class FileErrors {

    private FileErrors() {
    }

    /** {@code cannot VERB PATH: why}, e.g. {@code cannot write /x/y.key: no such directory}. */
    public static String cannot(String verb, Path path, IOException e) {
        return "cannot " + verb + " " + path + ": " + why(path, e);
    }

    /** Why an operation on {@code path} failed with {@code e}. */
    public static String why(Path path, IOException e) {
        for (Path above = path.toAbsolutePath().getParent(); above != null; above = above.getParent()) {
            if (Files.exists(above) && !Files.isDirectory(above)) {
                return above + " is not a directory"; // whatever the exception: ENOTDIR, or "exists" from mkdir -p
            }
        }
        if (e instanceof NoSuchFileException) {
            return noSuch(path);
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "file exists";
        }
        if (e instanceof NotDirectoryException) {
            return "not a directory";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "directory not empty";
        }
        if (e instanceof FileSystemLoopException) {
            return "too many levels of symbolic links";
        }
        if (Files.isDirectory(path)) {
            return "is a directory";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return plain(fse.getReason()); // the OS's words: "Read-only file system", "No space left on device"
        }
        String message = e.getMessage();
        if (e instanceof FileNotFoundException && message != null && message.endsWith(")") && message.contains(" (")) {
            // java.io's form: "/x/y.key (No such file or directory)"
            String reason = message.substring(message.lastIndexOf(" (") + 2, message.length() - 1);
            return reason.equals("No such file or directory") ? noSuch(path) : plain(reason);
        }
        if (message != null && !message.isBlank() && !message.contains(path.toString())) {
            return plain(message);
        }
        return plain(e.getClass().getSimpleName().replaceAll("(?<=[a-z])(?=[A-Z])", " ").replace(" Exception", ""));
    }

    /** A missing file, or the directory it would be in. */
    private static String noSuch(Path path) {
        Path parent = path.toAbsolutePath().getParent();
        return parent != null && !Files.isDirectory(parent) ? "no such directory" : "no such file";
    }

    private static String plain(String reason) {
        return reason.isEmpty() ? reason : reason.substring(0, 1).toLowerCase(Locale.ROOT) + reason.substring(1);
    }
}
