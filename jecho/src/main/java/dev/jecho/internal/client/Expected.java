package dev.jecho.internal.client;

import dev.jecho.Service;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a client takes for a reply, by asking the service: the one named ({@code --expect}), or with none
 * named (auto) any registered service that answers, the first whose reply matches winning. On a raw stream
 * nothing frames a message, so auto tries only byte services (whose reply to a message is the next bytes of
 * the stream), and a line service named there gets each message as a line: sent with {@code \n} after it,
 * its reply read up to the {@code \n} after the reply. A datagram or a record is a message whatever the
 * service.
 */
final class Expected {

    private final List<Service> candidates;
    /** The service named, or null for auto. */
    private final Service named;
    private final boolean lines;

    private Expected(List<Service> candidates, Service named, boolean lines) {
        this.candidates = candidates;
        this.named = named;
        this.lines = lines;
    }

    /**
     * @param named  the service named, or null for auto
     * @param framed whether the wire frames messages (datagrams, session records), or they go on a raw stream
     */
    static Expected of(Service named, boolean framed) {
        if (named != null) {
            return new Expected(List.of(named), named, !framed && named.framing() == Service.Framing.LINES);
        }
        List<Service> answering = new ArrayList<>();
        for (Service s : Service.registered()) {
            if (answers(s) && (framed || s.framing() == Service.Framing.BYTES)) {
                answering.add(s);
            }
        }
        return new Expected(List.copyOf(answering), null, false);
    }

    /** The services a client can wait for a reply from: they reply, and send nothing unasked. */
    static boolean answers(Service s) {
        return s.replies() && s.output() == null;
    }

    /** Auto on a raw stream: what {@code jecho client} checks replies against when told nothing. */
    static Expected auto() {
        return of(null, false);
    }

    /** Whether messages go as lines: the message with {@code \n} after it, and each reply a line. */
    boolean lines() {
        return lines;
    }

    /** The service named, or null for auto. */
    Service named() {
        return named;
    }

    /** What goes on the wire for {@code message}. */
    byte[] wire(byte[] message) {
        if (!lines) {
            return message;
        }
        byte[] line = Arrays.copyOf(message, message.length + 1);
        line[message.length] = '\n';
        return line;
    }

    /** Why {@code message} cannot be sent, or null. */
    String refusal(byte[] message) {
        if (lines) {
            for (byte b : message) {
                if (b == '\n' || b == '\r') {
                    return "a message to " + named.name() + ", a line service, is one line: it cannot hold a line break";
                }
            }
        }
        return null;
    }

    /**
     * What each candidate sends back on the wire for {@code message}, in order; null where it sends nothing
     * (or nothing that could be told apart: an empty reply to a message).
     */
    byte[][] replies(byte[] message) {
        byte[][] replies = new byte[candidates.size()][];
        for (int i = 0; i < replies.length; i++) {
            byte[] r = candidates.get(i).reply(message.clone());
            if (r != null && lines) {
                r = wire(r);
            }
            replies[i] = r == null || (r.length == 0 && message.length > 0 && named == null) ? null : r;
        }
        return replies;
    }

    /** Whether {@code reply} is what one of the candidates gives for {@code message}. */
    boolean matches(byte[] message, byte[] reply) {
        for (byte[] expected : replies(message)) {
            if (expected != null && Arrays.equals(expected, reply)) {
                return true;
            }
        }
        return false;
    }

    /** What the reply delivered to the caller is: the line without its {@code \n}. */
    byte[] delivered(byte[] reply, int length) {
        return Arrays.copyOf(reply, lines ? length - 1 : length);
    }

    /** How a reply that is none of the candidates' is described: "an echo of the message", or the service's. */
    String what() {
        return named == null ? "an echo of the message" : "what " + named.name() + " gives for the message";
    }

    /**
     * The start of a failed check's message, {@code the reply from PEER is not WHAT (sent 0x..., got 0x...}: the
     * caller ends it with what it adds (and the parenthesis).
     */
    String notTheReply(String peer, byte[] message, byte[] reply, int replyLength) {
        return "the reply from " + peer + " is not " + what() + " (sent 0x" + ServerOpening.hex(message, message.length)
                + ", got 0x" + ServerOpening.hex(reply, replyLength);
    }

    /**
     * Whether {@code got} (the server's first bytes) is what a registered byte service gives for {@code sent}
     * (the client's first bytes): the server echoed what it was sent, in some service's way.
     */
    static boolean echoes(byte[] sent, int sentLength, byte[] got, int gotLength) {
        int n = Math.min(sentLength, gotLength);
        for (Service s : Service.registered()) {
            if (!answers(s) || s.framing() != Service.Framing.BYTES) {
                continue;
            }
            byte[] reply = s.reply(Arrays.copyOf(sent, n));
            if (reply != null && reply.length >= n && Arrays.equals(reply, 0, n, got, 0, n)) {
                return true;
            }
        }
        return false;
    }

    /** The registered service whose output nobody asked for begins with {@code got}, or null. */
    static Service sendsUnasked(byte[] got, int length) {
        for (Service s : Service.registered()) {
            Service.Output output = s.output();
            if (output != null) {
                ByteBuffer expected = ByteBuffer.allocate(length);
                output.fill(0, expected);
                if (Arrays.equals(expected.array(), 0, length, got, 0, length)) {
                    return s;
                }
            }
        }
        return null;
    }

    /** The registered services that answer nothing ({@code discard}), for a hint when nothing came back. */
    static List<Service> silent() {
        List<Service> silent = new ArrayList<>();
        for (Service s : Service.registered()) {
            if (!s.replies() && s.output() == null) {
                silent.add(s);
            }
        }
        return silent;
    }
}
