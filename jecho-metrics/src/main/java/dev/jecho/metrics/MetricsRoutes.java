package dev.jecho.metrics;

import dev.jecho.Fault;
import dev.jecho.Faults;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Answers the whole requests of one metrics connection: {@code /metrics}, {@code /health},
 * {@code /connections} (and {@code /}), GET or HEAD; {@code /faults} also PUT, POST and DELETE. The channel does not read on its own: this asks for a
 * request, and for the next only once its response is written, so a connection's requests are answered in
 * order and one that pipelines without reading its answers stops being read. Runs on the metrics event
 * loop; {@code /connections} waits for the server's event loops without blocking it.
 */
final class MetricsRoutes extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsRoutes.class);
    private static final String TEXT = "text/plain; charset=utf-8";

    private final PrometheusMetrics metrics;
    private final ServerView server;
    /** Between a response (or the connect) and the next request. */
    private boolean wantRequest;

    MetricsRoutes(PrometheusMetrics metrics, ServerView server) {
        this.metrics = metrics;
        this.server = server;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        askForRequest(ctx);
        ctx.fireChannelActive();
    }

    /**
     * A read that brought no whole request is over: ask again while waiting for one (a read is satisfied by
     * a message or by the end of the read, as FlowControlHandler counts them).
     */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (wantRequest) {
            ctx.read();
        }
        ctx.fireChannelReadComplete();
    }

    private void askForRequest(ChannelHandlerContext ctx) {
        wantRequest = true;
        ctx.read();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) throws IOException {
        wantRequest = false;
        if (!request.decoderResult().isSuccess()) {
            reply(ctx, false, HttpResponseStatus.BAD_REQUEST, text("bad request: "
                    + request.decoderResult().cause().getMessage() + "\n"), false);
            return;
        }
        boolean head = HttpMethod.HEAD.equals(request.method());
        QueryStringDecoder target = new QueryStringDecoder(originForm(request.uri()));
        if (target.path().equals("/faults") || target.path().startsWith("/faults/")) {
            faults(ctx, request, head, target.path());
            return;
        }
        if (!head && !HttpMethod.GET.equals(request.method())) {
            FullHttpResponse r = response(false, HttpResponseStatus.METHOD_NOT_ALLOWED, TEXT, text("use GET\n"));
            r.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            send(ctx, r);
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(originForm(request.uri()));
        String path = uri.path();
        switch (path) {
            case "/metrics" -> metrics(ctx, head, request.headers().get(HttpHeaderNames.ACCEPT));
            case "/health" -> health(ctx, head);
            case "/connections" -> connections(ctx, head, uri.parameters().getOrDefault("format", List.of()).contains("text"));
            case "/" -> reply(ctx, head, HttpResponseStatus.OK, text("jecho: /metrics /health /connections\n"), true);
            default -> reply(ctx, head, HttpResponseStatus.NOT_FOUND,
                    text("not found: " + path + " (try /metrics, /health or /connections)\n"), true);
        }
    }

    /** {@code /metrics?x} as is; the absolute form a proxy sends ({@code http://host/metrics?x}) without scheme and host. */
    private static String originForm(String uri) {
        if (uri.startsWith("/")) {
            return uri;
        }
        try {
            URI u = new URI(uri);
            String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
            return u.getRawQuery() == null ? path : path + "?" + u.getRawQuery();
        } catch (URISyntaxException e) {
            return uri; // not found, as it deserves
        }
    }

    private void metrics(ChannelHandlerContext ctx, boolean head, String accept) throws IOException {
        ExpositionFormatWriter writer = accept != null && accept.contains("application/openmetrics-text")
                ? OpenMetricsTextFormatWriter.create()
                : PrometheusTextFormatWriter.create();
        ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
        writer.write(body, metrics.registry().scrape(), EscapingScheme.ALLOW_UTF8);
        send(ctx, response(head, HttpResponseStatus.OK, writer.getContentType(), body.toByteArray()));
    }

    private void health(ChannelHandlerContext ctx, boolean head) {
        boolean up = server.accepting();
        reply(ctx, head, up ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, text(up ? "ok\n" : "stopping\n"), true);
    }

    private void connections(ChannelHandlerContext ctx, boolean head, boolean asTable) {
        server.openConnections().whenCompleteAsync((open, error) -> {
            if (error != null) {
                LOG.debug("listing the open connections failed: {}", error.toString());
                reply(ctx, head, HttpResponseStatus.INTERNAL_SERVER_ERROR, text("cannot list the connections\n"), true);
            } else if (asTable) {
                reply(ctx, head, HttpResponseStatus.OK, text(ConnectionsPage.table(open)), true);
            } else {
                send(ctx, response(head, HttpResponseStatus.OK, "application/json", ConnectionsPage.json(open)));
            }
        }, ctx.executor());
    }

    /**
     * {@code /faults}: GET lists them (and the seed); PUT replaces them all, or adds or replaces {@code /faults/NAME};
     * POST adds (Toxiproxy's create); DELETE removes them all, or {@code /faults/NAME}. Each change answers with the
     * list as it now is. A change runs off this loop: a UDP listener's stage is put in place on its own loop.
     */
    private void faults(ChannelHandlerContext ctx, FullHttpRequest request, boolean head, String path) {
        Faults faults = server.faults();
        if (faults == null) {
            reply(ctx, head, HttpResponseStatus.NOT_FOUND, text("faults are off: start the server with --fault or"
                    + " --fault-seed to inject faults and change them here\n"), true);
            return;
        }
        String name = path.length() > "/faults/".length() ? QueryStringDecoder.decodeComponent(path.substring("/faults/".length())) : null;
        HttpMethod method = request.method();
        if (head || HttpMethod.GET.equals(method)) {
            if (name == null) {
                send(ctx, response(head, HttpResponseStatus.OK, "application/json", FaultsPage.json(faults)));
                return;
            }
            faults.list().stream().filter(f -> f.name().equals(name)).findFirst().ifPresentOrElse(
                    f -> send(ctx, response(head, HttpResponseStatus.OK, "application/json", FaultsPage.describe(f).toString().getBytes(StandardCharsets.UTF_8))),
                    () -> reply(ctx, head, HttpResponseStatus.NOT_FOUND, text("no fault named " + name + "\n"), true));
            return;
        }
        if (!HttpMethod.PUT.equals(method) && !HttpMethod.POST.equals(method) && !HttpMethod.DELETE.equals(method)) {
            FullHttpResponse r = response(false, HttpResponseStatus.METHOD_NOT_ALLOWED, TEXT, text("use GET, PUT, POST or DELETE\n"));
            r.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD, PUT, POST, DELETE");
            send(ctx, r);
            return;
        }
        byte[] body = ByteBufUtil.getBytes(request.content());
        CompletableFuture.supplyAsync(() -> change(faults, method, name, body)).whenCompleteAsync((status, error) -> {
            Throwable cause = error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
            if (cause instanceof IllegalArgumentException bad) {
                reply(ctx, false, HttpResponseStatus.BAD_REQUEST, text(bad.getMessage() + "\n"), true);
            } else if (cause != null) {
                LOG.debug("changing the faults failed: {}", cause.toString());
                reply(ctx, false, HttpResponseStatus.INTERNAL_SERVER_ERROR, text("cannot change the faults\n"), true);
            } else if (status == HttpResponseStatus.NOT_FOUND) {
                reply(ctx, false, status, text("no fault named " + name + "\n"), true);
            } else {
                send(ctx, response(false, status, "application/json", FaultsPage.json(faults)));
            }
        }, ctx.executor());
    }

    /** Applies a PUT, POST or DELETE; the status to answer with. */
    private static HttpResponseStatus change(Faults faults, HttpMethod method, String name, byte[] body) {
        if (HttpMethod.DELETE.equals(method)) {
            if (name == null) {
                faults.clear();
                return HttpResponseStatus.OK;
            }
            return faults.remove(name) ? HttpResponseStatus.OK : HttpResponseStatus.NOT_FOUND;
        }
        List<Fault> given = FaultsPage.read(body);
        if (name != null) {
            if (given.size() != 1) {
                throw new IllegalArgumentException("PUT /faults/" + name + " takes one fault, got " + given.size());
            }
            String spec = given.get(0).toString().replaceFirst(",name=[^,]*$", "");
            faults.add(Fault.parse(spec + ",name=" + name));
            return HttpResponseStatus.OK;
        }
        if (HttpMethod.PUT.equals(method)) {
            faults.clear();
        }
        given.forEach(faults::add);
        return HttpResponseStatus.OK;
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private void reply(ChannelHandlerContext ctx, boolean head, HttpResponseStatus status, byte[] body, boolean keepAlive) {
        FullHttpResponse r = response(head, status, TEXT, body);
        if (!keepAlive) {
            HttpUtil.setKeepAlive(r, false); // HttpServerKeepAliveHandler closes after it
        }
        send(ctx, r);
    }

    /** A HEAD response has the headers of the GET one, Content-Length included, and no body. */
    private static FullHttpResponse response(boolean head, HttpResponseStatus status, String contentType, byte[] body) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.DATE, DateFormatter.format(new Date()));
        return r;
    }

    /** Writes the response, then asks for the next request once it is on its way. */
    private void send(ChannelHandlerContext ctx, FullHttpResponse response) {
        ctx.writeAndFlush(response).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                askForRequest(ctx);
            }
        });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("metrics request failed: {}", cause.toString());
        ctx.close();
    }
}
