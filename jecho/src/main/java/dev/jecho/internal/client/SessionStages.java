package dev.jecho.internal.client;

import dev.jecho.internal.keys.Keys;
import dev.jecho.internal.tls.TlsContexts;
import dev.jecho.ClientConfig;
import dev.jecho.ClientException;
import dev.jecho.ClientTls;
import dev.jecho.Endpoint;
import dev.jecho.LegacyDigest;
import dev.jecho.internal.keys.SharedKey;
import dev.jecho.internal.protocol.PipelineNames;
import dev.jecho.internal.protocol.handshake.ClientHandshakeHandler;
import dev.jecho.internal.protocol.handshake.HandshakeException;
import dev.jecho.internal.protocol.handshake.LegacyClientHandshake;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What a client's stream connection goes through before its first message, for {@code jecho client} and
 * {@code jecho bench} alike: TLS first (it encrypts everything), then jecho's handshake (which installs the
 * session records and removes itself) or the article's. {@link #configure} adds the stages to a new
 * connection; {@link #ready} completes when messages may flow, or fails with a {@link ClientException}
 * whose message is one line for a user. Nothing here blocks.
 */
public final class SessionStages {

    private static final AttributeKey<CompletableFuture<Void>> AUTHENTICATED =
            AttributeKey.valueOf(SessionStages.class, "authenticated");

    private final Endpoint endpoint;
    private final ClientTls tls;
    private final SharedKey key;
    private final LegacyDigest legacyAuth;
    private final long timeoutNanos;

    /**
     * @param tls        TLS and how the certificate is checked, or null for none
     * @param key        the key to authenticate with, or null for none
     * @param legacyAuth the article's handshake instead of jecho's (needs a key), or null
     * @param timeout    how long TLS and the handshake may take together, from {@link #ready}
     */
    public SessionStages(Endpoint endpoint, ClientTls tls, SharedKey key, LegacyDigest legacyAuth, Duration timeout) {
        if (legacyAuth != null && key == null) {
            throw new IllegalArgumentException("the legacy handshake needs a key");
        }
        this.endpoint = endpoint;
        this.tls = tls;
        this.key = key;
        this.legacyAuth = legacyAuth;
        this.timeoutNanos = timeout.toNanos();
    }

    static SessionStages of(ClientConfig config) {
        return new SessionStages(config.endpoint(), config.tls(), Keys.primaryOf(config.keys()),
                config.legacyAuth(), config.handshakeTimeout());
    }

    /** True when a connection carries messages as soon as it is open (no TLS, no handshake). */
    public boolean none() {
        return tls == null && key == null;
    }

    /** Adds {@code [ssl] [handshake]} to a new connection's pipeline (nothing without TLS or a key). */
    public void configure(ChannelPipeline p) {
        if (tls != null) {
            p.addLast(PipelineNames.SSL, TlsContexts.clientHandler(tls, p.channel().alloc(),
                    endpoint.kind() == Endpoint.Kind.UNIX ? null : endpoint.host(), endpoint.port()));
        }
        if (key == null) {
            return;
        }
        String peer = endpoint.toString();
        if (legacyAuth != null) {
            LegacyClientHandshake handshake = new LegacyClientHandshake(key, legacyAuth, peer);
            p.channel().attr(AUTHENTICATED).set(handshake.result());
            p.addLast(PipelineNames.HANDSHAKE, handshake);
        } else {
            ClientHandshakeHandler handshake = new ClientHandshakeHandler(key, peer);
            p.channel().attr(AUTHENTICATED).set(handshake.result());
            p.addLast(PipelineNames.HANDSHAKE, handshake);
        }
    }

    /**
     * Call once the connection is open. Completes when TLS and then the handshake succeeded; fails with a
     * {@link ClientException} (the channel is then closed, or closing) when either failed or they did not
     * finish within the timeout.
     */
    public Future<Void> ready(Channel channel) {
        Promise<Void> ready = channel.eventLoop().newPromise();
        ServerOpening opening = channel.pipeline().get(ServerOpening.class); // jecho client only, not bench
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        Future<?> tlsDone = ssl != null ? ssl.handshakeFuture() : channel.eventLoop().newSucceededFuture(null);
        CompletableFuture<Void> authenticated = channel.attr(AUTHENTICATED).get();
        if (tlsDone.isSuccess() && authenticated == null) {
            return ready.setSuccess(null);
        }
        ScheduledFuture<?> timer = channel.eventLoop().schedule(() -> {
            if (ready.tryFailure(timedOut(tlsDone.isDone()))) {
                channel.close();
            }
        }, timeoutNanos, TimeUnit.NANOSECONDS);
        ready.addListener(f -> timer.cancel(false));
        tlsDone.addListener(f -> {
            if (!f.isSuccess()) {
                ready.tryFailure(TlsErrors.describe(endpoint.toString(), tls, f.cause(), opening));
            } else if (authenticated == null) {
                ready.trySuccess(null);
            } else {
                authenticated.whenComplete((ok, failure) -> {
                    if (failure == null) {
                        ready.trySuccess(null);
                    } else {
                        ready.tryFailure(handshakeFailed(failure));
                    }
                });
            }
        });
        return ready;
    }

    private ClientException timedOut(boolean tlsDone) {
        String peer = endpoint.toString();
        String limit = ReplyAssembler.formatNanos(timeoutNanos);
        if (!tlsDone) {
            return new ClientException(ClientException.Reason.TIMEOUT,
                    "no TLS handshake from " + peer + " within " + limit + " (does the server use --tls?)");
        }
        return new ClientException(ClientException.Reason.TIMEOUT, "no handshake from " + peer + " within " + limit
                + (legacyAuth == null
                ? " (a server without a secret, or with TLS, says nothing first: does it have --secret-file? does it want --tls?)"
                : " (does the server speak the article's handshake?)"));
    }

    private ClientException handshakeFailed(Throwable cause) {
        if (cause instanceof HandshakeException he) {
            return new ClientException(he.kind() == HandshakeException.Kind.CLOSED
                    ? ClientException.Reason.CLOSED : ClientException.Reason.AUTH, he.getMessage(), he);
        }
        return new ClientException(ClientException.Reason.IO, "handshake with " + endpoint + " failed: " + Causes.describe(cause), cause);
    }
}
