package dev.jecho.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/** A Prometheus text-format page, and the values in it by metric name and labels. */
public final class Scrape {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String text;

    public Scrape(String text) {
        this.text = text;
    }

    /** GET a URL; the status code and the body. */
    public static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public static Scrape of(String metricsUrl) throws IOException, InterruptedException {
        HttpResponse<String> r = get(metricsUrl);
        if (r.statusCode() != 200) {
            throw new IOException(metricsUrl + " answered " + r.statusCode());
        }
        return new Scrape(r.body());
    }

    public String text() {
        return text;
    }

    /**
     * The value of the one sample named {@code name} that has every label given as {@code key, value, ...};
     * empty when there is none.
     *
     * @throws AssertionError when several samples match
     */
    public OptionalDouble value(String name, String... labels) {
        List<Double> found = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            String key = line.substring(0, space);
            String metric = key.contains("{") ? key.substring(0, key.indexOf('{')) : key;
            if (!metric.equals(name)) {
                continue;
            }
            boolean all = true;
            for (int i = 0; i + 1 < labels.length; i += 2) {
                if (!key.contains(labels[i] + "=\"" + labels[i + 1] + "\"")) {
                    all = false;
                    break;
                }
            }
            if (all) {
                found.add(Double.parseDouble(line.substring(space + 1)));
            }
        }
        if (found.size() > 1) {
            throw new AssertionError(found.size() + " samples of " + name + " match " + List.of(labels));
        }
        return found.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(found.get(0));
    }

    /** {@link #value} as a long, failing when absent. */
    public long count(String name, String... labels) {
        OptionalDouble v = value(name, labels);
        if (v.isEmpty()) {
            throw new AssertionError("no sample " + name + " " + List.of(labels) + " in:\n" + text);
        }
        return (long) v.getAsDouble();
    }
}
