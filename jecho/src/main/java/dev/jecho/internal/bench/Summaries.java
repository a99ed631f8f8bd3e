package dev.jecho.internal.bench;

import dev.jecho.BenchConfig;
import dev.jecho.BenchConfig.Mode;
import dev.jecho.Endpoint;

/** The one-line descriptions of a workload that tables, titles and reports print. */
public final class Summaries {

    private Summaries() {
    }

    /**
     * One line describing the workload, with {@code checkPhrase} for what replies were checked against
     * ({@link CheckPhrase} words it).
     */
    public static String describe(BenchConfig c, String checkPhrase) {
        StringBuilder sb = new StringBuilder();
        int connections = c.connections();
        sb.append(c.mode().cliName()).append(", ").append(connections)
                .append(c.endpoint().kind() == Endpoint.Kind.UDP ? (connections == 1 ? " flow" : " flows")
                        : (connections == 1 ? " connection" : " connections"));
        if (c.mode() != Mode.HOLD && c.mode() != Mode.DOWNLOAD) {
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
