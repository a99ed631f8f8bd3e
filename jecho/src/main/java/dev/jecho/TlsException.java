package dev.jecho;

/** A TLS setting that cannot be used (unreadable PEM, wrong key), with a one-line message. */
public final class TlsException extends Exception {

    public TlsException(String message, Throwable cause) {
        super(message, cause);
    }
}
