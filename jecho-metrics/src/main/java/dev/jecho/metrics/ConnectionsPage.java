package dev.jecho.metrics;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.jecho.ConnectionInfo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** {@code /connections}: the open connections as JSON, or as a table like {@code ss -ti}. */
final class ConnectionsPage {

    private ConnectionsPage() {
    }

    /** {@code {"connections":[...],"peers":[...]}} and a newline. */
    static byte[] json(List<ConnectionInfo> open) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (JsonGenerator g = Json.FACTORY.createGenerator(body)) {
            g.writeStartObject();
            g.writeArrayFieldStart("connections");
            for (ConnectionInfo c : open) {
                writeConnection(g, c);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("peers");
            for (Map.Entry<String, long[]> e : byPeerIp(open).entrySet()) {
                g.writeStartObject();
                g.writeStringField("address", e.getKey());
                g.writeNumberField("connections", e.getValue()[0]);
                g.writeNumberField("bytes_in", e.getValue()[1]);
                g.writeNumberField("bytes_out", e.getValue()[2]);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        body.write('\n');
        return body.toByteArray();
    }

    private static void writeConnection(JsonGenerator g, ConnectionInfo c) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", c.id());
        g.writeStringField("listener", c.listener());
        g.writeStringField("peer", c.peer());
        g.writeStringField("socket_peer", c.socketPeer());
        g.writeNumberField("age_seconds", c.ageMillis() / 1000.0);
        g.writeNumberField("messages_in", c.messagesIn());
        g.writeNumberField("bytes_in", c.bytesIn());
        g.writeNumberField("messages_out", c.messagesOut());
        g.writeNumberField("bytes_out", c.bytesOut());
        g.writeBooleanField("authenticated", c.authenticated());
        if (c.faults() != null) {
            g.writeStringField("faults", c.faults());
        }
        if (c.keyId() != null) {
            g.writeStringField("key_id", c.keyId());
        }
        ConnectionInfo.Tcp t = c.tcp();
        if (t != null) {
            g.writeObjectFieldStart("tcp");
            g.writeStringField("state", t.state());
            g.writeNumberField("rtt_us", t.rttMicros());
            g.writeNumberField("rttvar_us", t.rttVarMicros());
            g.writeNumberField("retransmits", t.retransmits());
            g.writeNumberField("total_retrans", t.totalRetrans());
            g.writeNumberField("unacked", t.unacked());
            g.writeNumberField("snd_cwnd", t.sndCwnd());
            g.writeNumberField("snd_mss", t.sndMss());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    /** Open connections, bytes in and bytes out per client IP address (the real one, behind a proxy). */
    static Map<String, long[]> byPeerIp(List<ConnectionInfo> open) {
        Map<String, long[]> peers = new TreeMap<>();
        for (ConnectionInfo c : open) {
            long[] sums = peers.computeIfAbsent(ipOf(c.peer()), k -> new long[3]);
            sums[0]++;
            sums[1] += c.bytesIn();
            sums[2] += c.bytesOut();
        }
        return peers;
    }

    /** {@code 127.0.0.5:4000} to {@code 127.0.0.5}, {@code [::1]:4000} to {@code ::1}; anything else unchanged. */
    static String ipOf(String peer) {
        if (peer.startsWith("[")) {
            int close = peer.indexOf(']');
            return close > 0 ? peer.substring(1, close) : peer;
        }
        int colon = peer.lastIndexOf(':');
        return colon > 0 ? peer.substring(0, colon) : peer;
    }

    static String table(List<ConnectionInfo> open) {
        StringWriter text = new StringWriter();
        PrintWriter w = new PrintWriter(text);
        w.printf(Locale.ROOT, "%-22s %-24s %-12s %8s %9s %11s %9s %11s %-4s %8s %8s %7s %5s%n",
                "PEER", "LISTENER", "STATE", "AGE", "MSGS-IN", "BYTES-IN", "MSGS-OUT", "BYTES-OUT", "AUTH",
                "RTT-us", "RTTVAR", "RETRANS", "CWND");
        for (ConnectionInfo c : open) {
            ConnectionInfo.Tcp t = c.tcp();
            w.printf(Locale.ROOT, "%-22s %-24s %-12s %7.1fs %9d %11d %9d %11d %-4s %8s %8s %7s %5s%n",
                    c.peer(), c.listener(), t == null ? "-" : t.state(), c.ageMillis() / 1000.0,
                    c.messagesIn(), c.bytesIn(), c.messagesOut(), c.bytesOut(), c.authenticated() ? "yes" : "no",
                    t == null ? "-" : Long.toString(t.rttMicros()), t == null ? "-" : Long.toString(t.rttVarMicros()),
                    t == null ? "-" : Long.toString(t.totalRetrans()), t == null ? "-" : Long.toString(t.sndCwnd()));
        }
        w.printf(Locale.ROOT, "%d open%n", open.size());
        w.flush();
        return text.toString();
    }

    /** Loaded on the first {@code /connections}, not at start. */
    private static final class Json {
        static final JsonFactory FACTORY = new JsonFactory();
    }
}
