package dev.jecho.internal.protocol.handshake;

/** Why a client's handshake failed; the message is one line fit for a user. */
public final class HandshakeException extends Exception {

    /** The cases a client tells apart. */
    public enum Kind {
        /** The server sent the failure byte: it did not accept our key (or our proof). */
        REJECTED,
        /** The server's proof is wrong: it does not hold the key. Possibly an impostor. */
        IMPOSTOR,
        /** The server's first bytes are not the jecho handshake (wrong magic or version). */
        NOT_JECHO,
        /** The server closed the connection before the handshake finished. */
        CLOSED
    }

    private final Kind kind;

    public HandshakeException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
