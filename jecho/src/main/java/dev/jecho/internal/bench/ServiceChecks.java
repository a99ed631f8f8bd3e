package dev.jecho.internal.bench;

import dev.jecho.BenchConfig;
import dev.jecho.Service;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Which services the bench can hold replies to, in each mode, by asking them: a request/response mode needs a
 * byte service (its reply to any slice of the request pattern is that slice of its reply to the pattern) that
 * answers with as many bytes as it gets; {@code upload} a service from which nothing comes back
 * ({@code discard}); {@code download} one with output nobody asked for ({@code chargen}).
 */
public final class ServiceChecks {

    private ServiceChecks() {
    }

    /** Why replies cannot be checked against {@code service} in this mode, as a user's error line; null if they can. */
    public static String refusal(Service service, BenchConfig.Mode mode, boolean json) {
        String name = service.name();
        boolean sendsBack = service.replies() || service.output() != null;
        switch (mode) {
            case UPLOAD:
                return sendsBack ? "upload measures a server that sends nothing back, and " + name + " does"
                        + " (--check none reads and drops what comes back)" : null;
            case DOWNLOAD:
                return service.output() == null ? "download reads what a server sends without being asked, and "
                        + name + " sends nothing unasked (a chargen server does)" : null;
            default:
                if (service.output() != null) {
                    return name + " sends without being asked: measure it with --mode download";
                }
                if (!service.replies()) {
                    return name + " answers nothing: measure it with --mode upload";
                }
                if (service.framing() != Service.Framing.BYTES) {
                    return "the bench cannot check " + name + ": it answers whole lines, and the bench sends raw chunks"
                            + " (try it with jecho client --expect " + name + ")";
                }
                return keepsLength(service, json) ? null
                        : "the bench cannot check " + name + ": its replies are not as long as the requests";
        }
    }

    /** The registered services {@code --check auto} tries in this mode, in order. */
    static List<Service> candidates(BenchConfig.Mode mode, boolean json) {
        List<Service> fit = new ArrayList<>();
        for (Service s : Service.registered()) {
            if (refusal(s, mode, json) == null) {
                fit.add(s);
            }
        }
        return fit;
    }

    private static boolean keepsLength(Service service, boolean json) {
        String sample = "abcdefghijklmnopqrstuvwxyz".repeat(3);
        if (json) {
            String reply = service.replyToText(sample);
            return reply != null && reply.getBytes(StandardCharsets.UTF_8).length == sample.length();
        }
        byte[] reply = service.reply(sample.getBytes(StandardCharsets.US_ASCII));
        return reply != null && reply.length == sample.length();
    }
}
