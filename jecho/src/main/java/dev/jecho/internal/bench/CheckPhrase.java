package dev.jecho.internal.bench;

import dev.jecho.BenchConfig;
import dev.jecho.Service;

/** How the summary names what replies were checked against. */
public final class CheckPhrase {

    private CheckPhrase() {
    }

    /**
     * The check given ({@code upper}, {@code none}), {@code upper (detected)} when auto learned it from the
     * first reply, the service auto settled on without a reply ({@code discard} in upload mode), or
     * {@code auto (undecided)} when nothing decided.
     *
     * @param applied  the service replies were held to, or null when auto never decided
     * @param detected whether the first reply chose it
     */
    public static String of(BenchConfig config, Service applied, boolean detected) {
        if (!config.checksReplies()) {
            return "none";
        }
        if (config.check() != null) {
            return config.check().name();
        }
        if (applied == null) {
            return "auto (undecided)";
        }
        return detected ? applied.name() + " (detected)" : applied.name();
    }

    /** The {@code check} of the JSON report: what was checked, {@code auto} when nothing decided, or {@code none}. */
    public static String name(BenchConfig config, Service applied) {
        if (!config.checksReplies()) {
            return "none";
        }
        return applied != null ? applied.name() : config.check() != null ? config.check().name() : "auto";
    }
}
