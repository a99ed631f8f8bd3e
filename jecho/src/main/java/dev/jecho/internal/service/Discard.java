package dev.jecho.internal.service;

import dev.jecho.Service;

/** RFC 863: whatever arrives is thrown away and nothing comes back, on streams and datagrams alike. */
public final class Discard implements Service {

    public static final Discard INSTANCE = new Discard();

    private Discard() {
    }

    @Override
    public String name() {
        return "discard";
    }

    @Override
    public String description() {
        return "nothing comes back (RFC 863), for one-way throughput";
    }

    @Override
    public byte[] reply(byte[] message) {
        return null;
    }

    @Override
    public String replyToText(String text) {
        return null;
    }

    @Override
    public Framing framing() {
        return Framing.BYTES;
    }

    @Override
    public boolean replies() {
        return false;
    }

    @Override
    public String toString() {
        return name();
    }
}
