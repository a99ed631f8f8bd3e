package dev.jecho.internal.transport;

/** A native transport that was asked for by name cannot load on this machine. */
public final class TransportUnavailableException extends IllegalStateException {

    public TransportUnavailableException(String name, Throwable cause) {
        super(name + " is not available here (" + describe(cause) + "); use --transport auto or nio", cause);
    }

    private static String describe(Throwable cause) {
        if (cause == null) {
            return "unknown reason";
        }
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message;
    }
}
