package dev.jecho;

import dev.jecho.internal.service.Chargen;
import dev.jecho.internal.service.Discard;
import dev.jecho.internal.service.Echo;
import dev.jecho.internal.service.LineService;
import dev.jecho.internal.service.ServiceRegistry;
import dev.jecho.internal.service.Upper;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What a server gives back: the reply to a message, or nothing, or output nobody asked for. One class (or
 * one factory call) and one builder call make a server of your own:
 *
 * <pre>{@code
 * Service reverse = Service.lines("reverse", line -> new StringBuilder(line).reverse().toString());
 * try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).service(reverse).start()) { ... }
 * }</pre>
 *
 * <h2>What a service sees</h2>
 * A <em>message</em> is what the wire frames: a datagram, an authenticated session record's payload, a JSON
 * value (the service is applied to its string values, {@link #replyToText}). A raw byte stream (TCP, a Unix
 * socket, without a key or {@code --json}) frames nothing, so a service says how it wants one cut
 * ({@link #framing()}):
 * <ul>
 *   <li>{@link Framing#LINES} (the default): each line is a message, given without its line end; the reply
 *       goes back followed by the line end the request had ({@code \n} or {@code \r\n}), and a last line
 *       without one, at the client's end of stream, is answered without one. A line is at most
 *       {@code --max-line} bytes; a longer one closes the connection.</li>
 *   <li>{@link Framing#BYTES}: whatever a read returned is a message. This is a promise that the reply to a
 *       stream does not depend on how it is cut: the reply to {@code a} followed by {@code b} is the reply to
 *       {@code a} followed by the reply to {@code b} ({@code upper}, {@code echo}, {@code discard}). The
 *       client and the bench rely on it to check any slice of a reply.</li>
 * </ul>
 *
 * <h2>The hot path</h2>
 * A byte service whose reply has its request's length, each byte from its own ({@code upper}), may offer
 * {@link #inPlace()}: the server then transforms the bytes it read where they lie and writes the same buffer
 * back, with no copy and no allocation, one call per read. {@link InPlace#UNCHANGED} says the reply is the
 * message itself ({@code echo}), so the server does not even call it (and in JSON mode does not decode string
 * values). The transform sees a {@link ByteBuffer}, not a Netty buffer, so a service needs no Netty types:
 * the server hands it a view of its buffer's memory (Netty's internal NIO view, no allocation).
 *
 * <h2>Nothing, and output unasked</h2>
 * A service that {@linkplain #replies() never replies} ({@code discard}, RFC 863) has its input released as
 * it arrives; a service with {@linkplain #output() output} ({@code chargen}, RFC 864) sends it from the moment
 * a stream connection is up (after TLS and the handshake, when configured), as fast as the client reads and
 * no faster: it writes while the connection is writable and resumes when it is writable again, so a client
 * that does not read costs the server at most the write high-water mark, and the slow-client timeout closes
 * it. It stops at the client's close or end of stream, and when the server stops. A service may refuse
 * {@linkplain #datagrams() UDP}: a spoofed datagram would make it send to a victim what nobody asked
 * (chargen on UDP is the textbook amplifier, CVE-1999-0103), and the server refuses such a configuration.
 * On UDP a reply is never larger than its request (one larger is dropped and counted), so no service
 * amplifies; a service that never replies and has no output cannot run with {@code --json}.
 *
 * <h2>Checking replies</h2>
 * {@code jecho client} and {@code jecho bench} check a reply by asking the service what it gives for the
 * request ({@link #reply}), never by knowing services by hand; with nothing said they try the
 * {@linkplain #registered() registered} services in order and take the first whose reply matches.
 *
 * <h2>The registry</h2>
 * {@link #named(String)} and {@link #registered()}: the built-ins {@code echo}, {@code upper},
 * {@code discard} and {@code chargen}, then every provider on the class path that
 * {@link java.util.ServiceLoader} finds in {@code META-INF/services/dev.jecho.Service} (a public class with a
 * public no-argument constructor), in class-path order. That file is how a new service reaches
 * {@code jecho server --service}, its help and completion: one class and one line. A provider whose name is
 * taken or malformed is skipped with a warning. An embedder needs no registration: the builder takes any
 * instance.
 *
 * <p>Every method may be called on an event loop, concurrently for different connections: it must not block,
 * must be thread-safe, and must not keep the arrays and buffers it is given.
 */
public interface Service {

    /** RFC 862: the bytes come back unchanged. */
    Service ECHO = Echo.INSTANCE;

    /**
     * The article's {@code data.upper()} on the byte stream: ASCII a-z become A-Z and every other byte is
     * unchanged, so UTF-8 passes through intact and the reply has the request's length. JSON string values
     * are upper-cased with Unicode rules ({@code ß} becomes {@code SS}).
     */
    Service UPPER = Upper.INSTANCE;

    /** RFC 863: everything is read and thrown away; nothing comes back. TCP, Unix sockets and UDP. */
    Service DISCARD = Discard.INSTANCE;

    /**
     * RFC 864, TCP and Unix sockets only: from connect, lines of 72 printable ASCII characters and CRLF, each
     * starting one character later in the 95 printable characters; what the client sends is thrown away.
     */
    Service CHARGEN = Chargen.INSTANCE;

    /**
     * Its name: what {@code --service} takes, what the banner, logs and metrics show.
     *
     * @return lower-case letters, digits and {@code -}, starting with a letter
     */
    String name();

    /**
     * One line for help texts: what a message gets back.
     *
     * @return the line; empty by default
     */
    default String description() {
        return "";
    }

    /**
     * The reply to one whole message. A line arrives without its line end; a datagram, record or line may be
     * empty.
     *
     * @param message the message's bytes (not to be kept)
     * @return the reply, or null for none
     */
    byte[] reply(byte[] message);

    /**
     * JSON mode: what a string value of a message becomes (keys are left alone). By default the {@link #reply}
     * of its UTF-8 bytes, decoded as UTF-8.
     *
     * @param text the string value
     * @return what it becomes, or null: the message gets no reply
     */
    default String replyToText(String text) {
        byte[] reply = reply(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return reply == null ? null : new String(reply, java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * How a raw byte stream is cut into messages (see the class comment).
     *
     * @return {@link Framing#LINES} by default
     */
    default Framing framing() {
        return Framing.LINES;
    }

    /**
     * The zero-copy path, for a {@link Framing#BYTES} service whose reply to any bytes is as many bytes, each
     * the image of the byte in its place.
     *
     * @return the transform, or null (the default) when there is none
     */
    default InPlace inPlace() {
        return null;
    }

    /**
     * Whether it ever replies.
     *
     * @return false for a service that never replies ({@code discard}): its input is released unread
     */
    default boolean replies() {
        return true;
    }

    /**
     * Whether it may run on UDP listeners.
     *
     * @return true by default; false refuses a configuration with a UDP listener
     */
    default boolean datagrams() {
        return true;
    }

    /**
     * What it sends on a stream connection without being asked ({@code chargen}).
     *
     * @return the output, or null (the default)
     */
    default Output output() {
        return null;
    }

    /** How a raw byte stream is cut into messages. */
    enum Framing {
        /** Each read is a message: the reply to a stream does not depend on how it is cut. */
        BYTES,
        /** Each line is a message, without its line end; the reply gets the request's line end. */
        LINES
    }

    /** A length-preserving transform of bytes where they lie. */
    @FunctionalInterface
    interface InPlace {

        /** The reply is the message itself: nothing to do, and the server does not call it. */
        InPlace UNCHANGED = bytes -> {
        };

        /**
         * Replaces the bytes from the buffer's position to its limit with their reply. The buffer's byte
         * order is unspecified (set it when reading wider values), and so are its position and limit afterwards.
         *
         * @param bytes a view of the bytes read (not to be kept)
         */
        void transform(ByteBuffer bytes);
    }

    /** Output a service sends without being asked: an endless stream of bytes. */
    @FunctionalInterface
    interface Output {

        /**
         * Puts the bytes of the stream from {@code offset} (0 for a connection's first byte) into {@code into},
         * from its position up to its limit.
         *
         * @param offset where in the stream the bytes start
         * @param into   where they go (not to be kept)
         */
        void fill(long offset, ByteBuffer into);
    }

    /**
     * A {@link Framing#LINES} service from a function of one line of UTF-8 text (without its line end;
     * malformed bytes become U+FFFD) to its reply, or to null for none. A datagram or record that ends in a line
     * end is answered with that line end after the reply; JSON string values go through the function as they are.
     *
     * @param name  its name (see {@link #name()})
     * @param reply the reply to a line, or null for none
     * @return the service
     * @throws IllegalArgumentException for a malformed name
     */
    static Service lines(String name, UnaryOperator<String> reply) {
        return new LineService(name, reply);
    }

    /**
     * The registered service of this name (case ignored).
     *
     * @param name the name
     * @return the service
     * @throws IllegalArgumentException naming the registered services, when none is called so
     */
    static Service named(String name) {
        return ServiceRegistry.named(name);
    }

    /**
     * The registered services.
     *
     * @return the built-ins, then the class path's providers (see the class comment)
     */
    static List<Service> registered() {
        return ServiceRegistry.services();
    }
}
