package dev.jecho.internal.service;

import dev.jecho.Service;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.UnaryOperator;

/** {@link Service#lines}: a function of one line of text, line-framed on a raw stream. */
public final class LineService implements Service {

    private final String name;
    private final UnaryOperator<String> reply;

    public LineService(String name, UnaryOperator<String> reply) {
        String problem = ServiceRegistry.nameProblem(name);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        this.name = name;
        this.reply = Objects.requireNonNull(reply, "reply");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return "a reply per line";
    }

    /** A message framed by the wire may end in a line end: the function sees the line, the reply gets the end. */
    @Override
    public byte[] reply(byte[] message) {
        int end = LineEnds.length(message, message.length);
        String line = new String(message, 0, message.length - end, StandardCharsets.UTF_8);
        String answer = reply.apply(line);
        if (answer == null) {
            return null;
        }
        byte[] text = answer.getBytes(StandardCharsets.UTF_8);
        if (end == 0) {
            return text;
        }
        byte[] out = java.util.Arrays.copyOf(text, text.length + end);
        System.arraycopy(message, message.length - end, out, text.length, end);
        return out;
    }

    @Override
    public String replyToText(String text) {
        return reply.apply(text);
    }

    @Override
    public String toString() {
        return name;
    }
}
