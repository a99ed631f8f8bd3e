package dev.jecho.internal.tls;

import dev.jecho.ClientTls;
import dev.jecho.ServerTls;
import dev.jecho.internal.ApiDoor;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;

import java.nio.file.Path;

/** The Netty TLS contexts behind the API's {@link ServerTls} and {@link ClientTls}, and the handlers they make. */
public final class TlsContexts {

    /** What {@link ServerTls} lets through. */
    public interface ServerDoor {
        /** The context every stream listener's handler comes from. */
        SslContext context(ServerTls tls);

        /** A server TLS of a self-signed certificate, kept in {@code keptIn} (or nowhere: null). */
        ServerTls selfSigned(SelfSignedCertificate certificate, Path keptIn);
    }

    /** What {@link ClientTls} lets through. */
    public interface ClientDoor {
        /** The context every client connection's handler comes from. */
        SslContext context(ClientTls tls);
    }

    /** Opened by {@link ServerTls}. */
    public static final ApiDoor<ServerDoor> SERVER = new ApiDoor<>(ServerTls.class);
    /** Opened by {@link ClientTls}. */
    public static final ApiDoor<ClientDoor> CLIENT = new ApiDoor<>(ClientTls.class);

    private TlsContexts() {
    }

    /** A handler for one accepted connection. */
    public static SslHandler serverHandler(ServerTls tls, ByteBufAllocator alloc) {
        return SERVER.get().context(tls).newHandler(alloc);
    }

    /** A handler for a connection to {@code host:port} (the name is sent as SNI and checked when verifying); host null: neither. */
    public static SslHandler clientHandler(ClientTls tls, ByteBufAllocator alloc, String host, int port) {
        SslContext context = CLIENT.get().context(tls);
        return host == null ? context.newHandler(alloc) : context.newHandler(alloc, host, port);
    }

    /** A server TLS of a self-signed certificate and its key, kept in {@code keptIn} (or nowhere: null). */
    public static ServerTls selfSigned(SelfSignedCertificate certificate, Path keptIn) {
        return SERVER.get().selfSigned(certificate, keptIn);
    }
}
