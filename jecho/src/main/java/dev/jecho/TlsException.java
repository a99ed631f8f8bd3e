package dev.jecho;

/** A TLS setting that cannot be used (unreadable PEM, wrong key), with a one-line message. */
public final class TlsException extends Exception {

    /**
     * A TLS problem.
     *
     * @param message one line that names the file and what is wrong with it
     * @param cause   the underlying exception
     */
    public TlsException(String message, Throwable cause) {
        super(message, cause);
    }
}
