package dev.jecho;

import dev.jecho.internal.client.Causes;
import dev.jecho.internal.client.Connection;
import dev.jecho.internal.client.DatagramConnection;
import dev.jecho.internal.client.StreamConnection;
import dev.jecho.internal.transport.NettyTransport;
import io.netty.channel.EventLoopGroup;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A client for jecho and any echo server: send a message, get its reply.
 *
 * <pre>{@code
 * try (JechoClient client = JechoClient.connect(Endpoint.parse("tcp://127.0.0.1:8888"))) {
 *     byte[] reply = client.exchange("hello".getBytes(UTF_8));   // "HELLO"
 * }
 * }</pre>
 *
 * Over TCP and Unix sockets, messages may be sent without waiting ({@link #send}); replies come back in
 * order and are read whole: the client asks the service what the reply to a message is (upper's and echo's
 * are as long as the message; see {@link ClientConfig#expect()}) and waits for that many bytes. Over UDP each
 * datagram is retried on timeout and reported lost after the last retry.
 */
public final class JechoClient implements AutoCloseable {

    private final ClientConfig config;
    private final EventLoopGroup group;
    private final Connection connection;

    private JechoClient(ClientConfig config, EventLoopGroup group, Connection connection) {
        this.config = config;
        this.group = group;
        this.connection = connection;
    }

    /**
     * Connects with every default (see {@link ClientConfig}).
     *
     * @param endpoint the server
     * @return the connected client
     * @throws ClientException when it cannot connect, with a one-line reason
     */
    public static JechoClient connect(Endpoint endpoint) throws ClientException {
        return connect(ClientConfig.builder(endpoint).build());
    }

    /**
     * Connects (TCP, Unix socket) or binds a local port (UDP), with TLS and the handshake when configured.
     *
     * @param config the server and how to talk to it
     * @return the connected client
     * @throws ClientException when it cannot connect, with a one-line reason
     */
    public static JechoClient connect(ClientConfig config) throws ClientException {
        NettyTransport transport = NettyTransport.select(config.transport());
        EventLoopGroup group = transport.newGroup(1, "jecho-client");
        try {
            Connection connection = config.endpoint().kind() == Endpoint.Kind.UDP
                    ? DatagramConnection.open(config, config.socketOptions(), transport, group)
                    : StreamConnection.open(config, config.socketOptions(), transport, group);
            return new JechoClient(config, group, connection);
        } catch (ClientException | RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    /**
     * Where this client talks to.
     *
     * @return the server's endpoint
     */
    public Endpoint endpoint() {
        return config.endpoint();
    }

    /**
     * Sends a message without waiting. The future completes with the reply, or exceptionally with a
     * {@link ClientException}.
     *
     * @param message the message's bytes
     * @return its reply, to come
     */
    public CompletableFuture<byte[]> send(byte[] message) {
        return connection.send(message);
    }

    /**
     * Sends a line a person typed. In JSON mode it goes as the article's client sends it: as a JSON string,
     * unless it parses as one JSON value ({@code {"a":1}} goes as an object). Otherwise as its UTF-8 bytes.
     *
     * @param line the text
     * @return its reply, to come
     */
    public CompletableFuture<byte[]> sendText(String line) {
        String text = config.json() && !line.isBlank() ? dev.jecho.internal.protocol.json.JsonTranscoder.fromUserInput(line) : line;
        return send(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Completes when the TCP or Unix-socket connection closes: the server closed it (its idle timeout, a
     * drain on shutdown), a failure did, or {@link #close()}. Never completes for UDP, which has no
     * connection. A client waiting for its user can tell the user at once instead of at the next message.
     *
     * @return a stage that completes when the connection is gone
     */
    public CompletionStage<Void> closed() {
        return connection.closed();
    }

    /**
     * The settings this client was made with.
     *
     * @return its configuration
     */
    public ClientConfig config() {
        return config;
    }

    /**
     * Sends a message and waits for its reply.
     *
     * @param message the message's bytes
     * @return the reply's bytes
     * @throws ClientException when no reply comes (timeout, loss, a closed connection) or it is no echo
     */
    public byte[] exchange(byte[] message) throws ClientException {
        return await(send(message));
    }

    /**
     * Waits for a reply future from {@link #send}, unwrapping its {@link ClientException}.
     *
     * @param reply the future
     * @return the reply's bytes
     * @throws ClientException as the future failed, or when interrupted
     */
    public static byte[] await(CompletableFuture<byte[]> reply) throws ClientException {
        try {
            return reply.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientException(ClientException.Reason.IO, "interrupted while waiting for a reply", e);
        } catch (ExecutionException | CompletionException e) {
            if (e.getCause() instanceof ClientException ce) {
                throw ce;
            }
            throw new ClientException(ClientException.Reason.IO, Causes.describe(e.getCause()), e.getCause());
        }
    }

    /** Closes the connection and stops the client's event loop; replies still to come fail. */
    @Override
    public void close() {
        try {
            connection.close();
        } finally {
            group.shutdownGracefully(0, 200, TimeUnit.MILLISECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
    }
}
