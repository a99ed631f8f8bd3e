package dev.jecho;

/** A key file or key that cannot be used, with a one-line message that says how to fix it. */
public final class KeyException extends Exception {

    /**
     * A key problem.
     *
     * @param message one line that names the file (or variable) and says how to fix it
     */
    public KeyException(String message) {
        super(message);
    }
}
