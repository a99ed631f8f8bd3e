package dev.jecho.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jecho.Fault;
import dev.jecho.Faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code /faults} as JSON, in Toxiproxy's vocabulary where it fits: each fault is
 * {@code {"name", "type", "stream": "downstream"|"upstream", "toxicity", "attributes": {...}, "spec"}}, its attributes
 * the spec's own keys ({@code {"latency": "50ms", "jitter": "10ms"}}). A fault sent in is either such an object, or
 * {@code {"spec": "latency=50ms,jitter=10ms"}}, or, as text, one spec a line. Toxiproxy's own toxics are read too:
 * {@code latency}, {@code bandwidth} (rate in KB/s), {@code slicer}, {@code timeout}, {@code limit_data},
 * {@code reset_peer}, {@code slow_close}, with its attributes and units (milliseconds; slicer's delay in
 * microseconds).
 */
final class FaultsPage {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Attributes that are times: a bare number is milliseconds, as in Toxiproxy. */
    private static final Set<String> TIMES = Set.of("latency", "jitter", "delay", "slow-close", "timeout");

    private FaultsPage() {
    }

    static byte[] json(Faults faults) {
        ObjectNode root = JSON.createObjectNode();
        root.put("seed", faults.seed());
        ArrayNode list = root.putArray("faults");
        for (Fault f : faults.list()) {
            list.add(describe(f));
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode describe(Fault f) {
        ObjectNode o = JSON.createObjectNode();
        o.put("name", f.name());
        o.put("type", f.type());
        String stream = "downstream";
        double toxicity = 1;
        ObjectNode attributes = JSON.createObjectNode();
        String[] parts = f.toString().split(",");
        for (String part : parts) {
            int eq = part.indexOf('=');
            String key = eq < 0 ? part : part.substring(0, eq);
            String value = eq < 0 ? "" : part.substring(eq + 1);
            switch (key) {
                case "stream" -> stream = "up".equals(value) ? "upstream" : "downstream";
                case "toxicity" -> toxicity = Double.parseDouble(value);
                case "name" -> { }
                default -> {
                    if (eq >= 0) {
                        attributes.put(key, value);
                    }
                }
            }
        }
        if (f.stream()) {
            o.put("stream", stream);
            o.put("toxicity", toxicity);
        }
        o.set("attributes", attributes);
        o.put("spec", f.toString());
        return o;
    }

    /**
     * The faults in a request body: a JSON object or array of them, or text with one spec a line.
     *
     * @throws IllegalArgumentException what is wrong with it, in one line
     */
    static List<Fault> read(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).trim();
        List<Fault> faults = new ArrayList<>();
        if (text.startsWith("{") || text.startsWith("[")) {
            JsonNode node;
            try {
                node = JSON.readTree(text);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
            }
            if (node.isArray()) {
                node.forEach(n -> faults.add(fault(n)));
            } else {
                faults.add(fault(node));
            }
        } else {
            text.lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(l -> faults.add(Fault.parse(l)));
        }
        return faults;
    }

    /** One fault object, as a spec. */
    static Fault fault(JsonNode n) {
        if (!n.isObject()) {
            throw new IllegalArgumentException("a fault is a JSON object, got " + n);
        }
        if (n.hasNonNull("spec")) {
            return Fault.parse(n.get("spec").asText());
        }
        String type = n.path("type").asText("").toLowerCase(Locale.ROOT);
        if (type.isEmpty()) {
            throw new IllegalArgumentException("a fault needs a \"type\" (e.g. latency) or a \"spec\"");
        }
        JsonNode a = n.path("attributes");
        StringBuilder spec = new StringBuilder();
        switch (type) {
            case "slicer" -> { // Toxiproxy: average_size, size_variation, delay in microseconds
                long avg = a.path("average_size").asLong(1);
                long var = a.path("size_variation").asLong(0);
                spec.append("slice=").append(Math.max(1, avg - var)).append('-').append(Math.max(1, avg + var))
                        .append(",delay=").append(a.path("delay").asLong(0) / 1000).append("ms");
            }
            case "timeout" -> { // Toxiproxy: stop all data, close after timeout ms (0: never)
                long ms = a.path("timeout").asLong(0);
                spec.append(ms == 0 ? "stall" : "close-after=" + ms + "ms");
            }
            case "limit_data" -> spec.append("close-after=").append(a.path("bytes").asLong());
            case "reset_peer" -> spec.append("reset-after=").append(a.path("timeout").asLong(0)).append("ms");
            case "slow_close" -> spec.append("slow-close=").append(a.path("delay").asLong(0)).append("ms");
            case "bandwidth" -> spec.append("bandwidth=").append(a.has("rate") ? a.get("rate").asLong() + "KiB" : a.path("bandwidth").asText());
            default -> {
                spec.append(type);
                JsonNode main = a.get(type);
                if (main != null && !main.isNull()) {
                    spec.append('=').append(value(type, main));
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (!e.getKey().equals(type)) {
                        spec.append(',').append(e.getKey()).append('=').append(value(e.getKey(), e.getValue()));
                    }
                }
            }
        }
        if (n.hasNonNull("stream") && !n.get("stream").asText().startsWith("down")) {
            spec.append(",stream=").append(n.get("stream").asText());
        }
        if (n.hasNonNull("toxicity") && n.get("toxicity").asDouble() != 1.0) {
            spec.append(",toxicity=").append(n.get("toxicity").asText());
        }
        if (n.hasNonNull("name")) {
            spec.append(",name=").append(n.get("name").asText());
        }
        return Fault.parse(spec.toString());
    }

    private static String value(String key, JsonNode v) {
        return v.isNumber() && TIMES.contains(key) ? v.asText() + "ms" : v.asText();
    }
}
