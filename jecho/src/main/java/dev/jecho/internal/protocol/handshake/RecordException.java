package dev.jecho.internal.protocol.handshake;

import io.netty.handler.codec.DecoderException;

/** A session record failed its check: the connection can no longer be trusted and is closed. */
public final class RecordException extends DecoderException {

    public RecordException(String message) {
        super(message);
    }
}
