package dev.jecho;

import dev.jecho.internal.server.FaultSpec;

import java.util.Objects;

/**
 * One fault a server injects, for testing how a client copes: on stream connections {@code latency},
 * {@code bandwidth}, {@code slice}, {@code stall}, {@code close-after}, {@code reset-after}, {@code slow-close},
 * {@code refuse}, {@code corrupt}; on UDP {@code loss}, {@code duplicate}, {@code reorder}, {@code delay},
 * {@code truncate}. Written in the syntax of {@code jecho server --fault}:
 * {@code TYPE[=VALUE][,KEY=VALUE]...}, e.g. {@code latency=50ms,jitter=10ms}, {@code stall=1KiB},
 * {@code reset-after=64KiB;toxicity=0.1}, {@code loss=5%,burst=3}. The README's "Testing your client" lists every
 * type with its keys. A value: immutable, equal to another of the same spec.
 */
public final class Fault {

    private final FaultSpec spec;

    private Fault(FaultSpec spec) {
        this.spec = spec;
    }

    /**
     * Reads a fault.
     *
     * @param spec the fault, e.g. {@code latency=50ms,jitter=10ms}
     * @return the fault
     * @throws IllegalArgumentException one line saying what is wrong with the spec
     */
    public static Fault parse(String spec) {
        return new Fault(FaultSpec.parse(Objects.requireNonNull(spec, "spec")));
    }

    /**
     * Its name in a server's live set: {@code name=} in the spec, else its type ({@code latency}), with
     * {@code -upstream} for one acting on requests. Adding a fault replaces the one of the same name.
     *
     * @return the name
     */
    public String name() {
        return spec.name();
    }

    /**
     * Its type, as the spec names it.
     *
     * @return e.g. {@code latency}, {@code close-after}, {@code loss}
     */
    public String type() {
        return spec.type().word();
    }

    /**
     * Whether it acts on stream connections (TCP, Unix sockets) rather than on UDP replies.
     *
     * @return true for a stream fault
     */
    public boolean stream() {
        return spec.type().stream();
    }

    /**
     * The spec in canonical form, which {@link #parse} reads back to an equal fault.
     *
     * @return e.g. {@code latency=50ms,jitter=10ms}
     */
    @Override
    public String toString() {
        return spec.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Fault f && f.spec.equals(spec);
    }

    @Override
    public int hashCode() {
        return spec.hashCode();
    }
}
