package dev.jecho.cli;

import dev.jecho.Service;

import java.nio.ByteBuffer;

/**
 * A byte service of one's own, registered in the test resources' {@code META-INF/services/dev.jecho.Service}:
 * ROT13 on ASCII letters, every other byte unchanged, in place. Unlike upper and echo it changes the hex digits
 * A-F, so the bench, which asks, sends it no sequence tags.
 */
public final class Rot13 implements Service {

    private static final InPlace IN_PLACE = bytes -> {
        for (int i = bytes.position(); i < bytes.limit(); i++) {
            bytes.put(i, rot13(bytes.get(i)));
        }
    };

    private static byte rot13(byte b) {
        if (b >= 'a' && b <= 'z') {
            return (byte) ('a' + (b - 'a' + 13) % 26);
        }
        if (b >= 'A' && b <= 'Z') {
            return (byte) ('A' + (b - 'A' + 13) % 26);
        }
        return b;
    }

    @Override
    public String name() {
        return "rot13";
    }

    @Override
    public String description() {
        return "ASCII letters rotated by 13 (a test's own byte service)";
    }

    @Override
    public byte[] reply(byte[] message) {
        byte[] reply = message.clone();
        IN_PLACE.transform(ByteBuffer.wrap(reply));
        return reply;
    }

    @Override
    public Framing framing() {
        return Framing.BYTES;
    }

    @Override
    public InPlace inPlace() {
        return IN_PLACE;
    }
}
