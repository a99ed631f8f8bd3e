package dev.jecho.internal.service;

import dev.jecho.Service;

/** RFC 862: the reply is the message itself, so the server leaves the bytes it read as they are. */
public final class Echo implements Service {

    public static final Echo INSTANCE = new Echo();

    private Echo() {
    }

    @Override
    public String name() {
        return "echo";
    }

    @Override
    public String description() {
        return "the bytes back unchanged (RFC 862)";
    }

    @Override
    public byte[] reply(byte[] message) {
        return message;
    }

    @Override
    public String replyToText(String text) {
        return text;
    }

    @Override
    public Framing framing() {
        return Framing.BYTES;
    }

    @Override
    public InPlace inPlace() {
        return InPlace.UNCHANGED;
    }

    @Override
    public String toString() {
        return name();
    }
}
