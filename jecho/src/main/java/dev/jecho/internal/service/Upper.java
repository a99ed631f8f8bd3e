package dev.jecho.internal.service;

import dev.jecho.Service;

/**
 * The article's {@code data.upper()}: ASCII a-z to A-Z in place, every other byte unchanged, so UTF-8
 * passes intact and the reply has the request's length; JSON string values with Unicode rules.
 */
public final class Upper implements Service {

    public static final Upper INSTANCE = new Upper();
    private static final InPlace IN_PLACE = AsciiUpper::inPlace;

    private Upper() {
    }

    @Override
    public String name() {
        return "upper";
    }

    @Override
    public String description() {
        return "ASCII a-z to A-Z, every other byte unchanged (the article's data.upper())";
    }

    @Override
    public byte[] reply(byte[] message) {
        byte[] reply = message.clone();
        AsciiUpper.inPlace(java.nio.ByteBuffer.wrap(reply));
        return reply;
    }

    @Override
    public String replyToText(String text) {
        return TextUpper.of(text);
    }

    @Override
    public Framing framing() {
        return Framing.BYTES;
    }

    @Override
    public InPlace inPlace() {
        return IN_PLACE;
    }

    @Override
    public String toString() {
        return name();
    }
}
