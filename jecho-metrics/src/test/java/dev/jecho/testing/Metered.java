package dev.jecho.testing;

import dev.jecho.Endpoint;
import dev.jecho.JechoServer;
import dev.jecho.ListenerException;
import dev.jecho.ServerConfig;
import dev.jecho.metrics.MetricsHttpServer;
import dev.jecho.metrics.PrometheusMetrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A server with Prometheus metrics and their HTTP endpoint on a free loopback port, as {@code jecho server
 * --metrics} runs it; the endpoint closes when the server has stopped.
 */
public final class Metered {

    private static final Map<JechoServer, MetricsHttpServer> HTTP = new ConcurrentHashMap<>();

    private Metered() {
    }

    public static JechoServer start(ServerConfig.Builder builder) throws ListenerException {
        PrometheusMetrics metrics = new PrometheusMetrics();
        JechoServer server = builder.recorder(metrics).start();
        try {
            MetricsHttpServer http = MetricsHttpServer.start(Endpoint.tcp("127.0.0.1", 0), metrics, server);
            HTTP.put(server, http);
            server.terminationFuture().whenComplete((done, failed) -> HTTP.remove(server).close());
        } catch (ListenerException | RuntimeException e) {
            server.stopNow();
            throw e;
        }
        return server;
    }

    /** Where {@code server}'s metrics endpoint listens. */
    public static Endpoint address(JechoServer server) {
        MetricsHttpServer http = HTTP.get(server);
        if (http == null) {
            throw new IllegalStateException("no metrics endpoint: start the server with Metered.start");
        }
        return Endpoint.tcp("127.0.0.1", http.address().getPort());
    }
}
