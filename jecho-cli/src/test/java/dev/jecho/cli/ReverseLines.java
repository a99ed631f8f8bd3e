package dev.jecho.cli;

import dev.jecho.Service;

import java.nio.charset.StandardCharsets;

/**
 * A service of one's own, as a third party would add one to jecho's command line: this class, and its name in
 * {@code META-INF/services/dev.jecho.Service} (here in the test resources). A line service: each line comes back
 * reversed.
 */
public final class ReverseLines implements Service {

    @Override
    public String name() {
        return "reverse";
    }

    @Override
    public String description() {
        return "each line reversed (a test's own service)";
    }

    @Override
    public byte[] reply(byte[] message) {
        String line = new String(message, StandardCharsets.UTF_8);
        return new StringBuilder(line).reverse().toString().getBytes(StandardCharsets.UTF_8);
    }
}
