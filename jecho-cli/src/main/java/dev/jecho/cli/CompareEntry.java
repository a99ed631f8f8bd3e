package dev.jecho.cli;

import dev.jecho.Endpoint;

import java.util.List;
import java.util.Locale;

/**
 * One entry of {@code jecho bench --compare}: a transport and what runs on it, {@code NAME[=URL]}. NAME is
 * {@code tcp}, {@code unix}, {@code tls} (TLS over TCP) or {@code udp}, followed by any of {@code +tls} (TLS
 * over a Unix socket), {@code +auth} (jecho's handshake and session records; on UDP tagged datagrams) and
 * {@code +json} (JSON Lines): {@code tcp}, {@code tls+auth+json}, {@code unix+tls}, {@code udp+auth}. An
 * entry uses exactly what it names. Without {@code =URL} it takes the URL of its transport from the ones
 * given after the options ({@code tls} that of TCP; a plain {@code HOST:PORT} serves tcp, tls and udp).
 *
 * @param url the URL given with the entry, or null
 */
record CompareEntry(String text, Endpoint.Kind kind, boolean tls, boolean auth, boolean json, String url) {

    private static final String GRAMMAR = "tcp, unix, tls or udp, optionally with +auth, +json (and unix+tls),"
            + " and =URL";

    /** @throws IllegalArgumentException for an entry that is not in the grammar above */
    static CompareEntry parse(String entry) {
        String text = entry.trim();
        int eq = text.indexOf('=');
        String name = (eq < 0 ? text : text.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
        String url = eq < 0 ? null : text.substring(eq + 1).trim();
        if (url != null && url.isEmpty()) {
            throw new IllegalArgumentException("--compare entry '" + text + "' has no URL after '='");
        }
        List<String> parts = List.of(name.split("\\+", -1));
        Endpoint.Kind kind = switch (parts.get(0)) {
            case "tcp", "tls" -> Endpoint.Kind.TCP;
            case "unix" -> Endpoint.Kind.UNIX;
            case "udp" -> Endpoint.Kind.UDP;
            default -> throw new IllegalArgumentException("--compare knows " + GRAMMAR + ", not '" + text + "'");
        };
        boolean tls = parts.get(0).equals("tls");
        boolean auth = false;
        boolean json = false;
        for (String modifier : parts.subList(1, parts.size())) {
            switch (modifier) {
                case "tls" -> tls = true;
                case "auth" -> auth = true;
                case "json" -> json = true;
                default -> throw new IllegalArgumentException("--compare knows " + GRAMMAR + ", not '" + text + "'");
            }
        }
        return new CompareEntry(text, kind, tls, auth, json, url);
    }

    /**
     * Where this entry runs: its own URL, else the first of {@code given} for its transport.
     *
     * @throws IllegalArgumentException when there is none, or its own URL is of another transport
     */
    Endpoint endpoint(List<String> given) {
        if (url != null) {
            boolean schemed = url.contains("://") || url.startsWith("unix:");
            Endpoint e = schemed ? Endpoint.parse(url) : Endpoint.parseHostPort(kind, url);
            if (e.kind() != kind) {
                throw new IllegalArgumentException("--compare entry '" + text + "' is " + kind.scheme() + ", but its URL is " + e);
            }
            return e;
        }
        String scheme = kind == Endpoint.Kind.UNIX ? "unix:" : kind.scheme() + "://";
        for (String u : given) {
            if (u.trim().startsWith(scheme)) {
                return Endpoint.parse(u);
            }
        }
        if (kind != Endpoint.Kind.UNIX) {
            for (String u : given) {
                String t = u.trim();
                if (!t.contains("://") && !t.startsWith("unix:")) {
                    return Endpoint.parseHostPort(kind, t);
                }
            }
        }
        throw new IllegalArgumentException("--compare names " + text.split("=")[0] + " but no "
                + (kind == Endpoint.Kind.UNIX ? "unix:PATH" : kind.scheme() + "://HOST:PORT or HOST:PORT")
                + " URL was given (or write it in the entry: " + text.split("=")[0] + "=URL)");
    }
}
