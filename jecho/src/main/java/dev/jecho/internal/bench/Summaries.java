package dev.jecho.internal.bench;

import dev.jecho.BenchConfig;
import dev.jecho.BenchConfig.Check;
import dev.jecho.BenchConfig.Mode;
import dev.jecho.Endpoint;

/** The one-line descriptions of a workload that tables, titles and reports print. */
public final class Summaries {

    private Summaries() {
    }

    /**
     * How the summary names what replies were checked against: the check given, {@code upper (detected)}
     * when AUTO learned it from the first reply, or {@code auto (undecided)} when no reply decided.
     *
     * @param applied the check replies were held to, or null when AUTO never decided
     */
    public static String checkPhrase(Check given, Check applied) {
        if (given != Check.AUTO) {
            return given.cliName();
        }
        return applied == null || applied == Check.AUTO ? "auto (undecided)" : applied.cliName() + " (detected)";
    }

    /** One line describing the workload, with {@code checkPhrase} for what replies were checked against. */
    public static String describe(BenchConfig c, String checkPhrase) {
        StringBuilder sb = new StringBuilder();
        int connections = c.connections();
        sb.append(c.mode().cliName()).append(", ").append(connections)
                .append(c.endpoint().kind() == Endpoint.Kind.UDP ? (connections == 1 ? " flow" : " flows")
                        : (connections == 1 ? " connection" : " connections"));
        if (c.mode() != Mode.HOLD) {
            sb.append(", ").append(c.sizeMin() == c.sizeMax() ? c.sizeMin() + " B" : c.sizeMin() + "-" + c.sizeMax() + " B");
        }
        if (c.mode() == Mode.RR && c.pipeline() > 1) {
            sb.append(", pipeline ").append(c.pipeline());
        }
        if (c.mode() == Mode.RR || c.mode() == Mode.CONNECT) {
            sb.append(", ").append(c.openLoop() ? "open loop at " + Units.count(c.rate()) + " req/s" : "closed loop");
        }
        sb.append(", check ").append(checkPhrase);
        sb.append(", ").append(Units.duration(c.duration()));
        if (c.mode() != Mode.HOLD && !c.warmup().isZero()) {
            sb.append(" (+").append(Units.duration(c.warmup())).append(" warm-up)");
        }
        return sb.toString();
    }
}
