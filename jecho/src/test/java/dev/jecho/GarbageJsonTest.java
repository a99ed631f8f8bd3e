package dev.jecho;

import dev.jecho.internal.keys.SharedKey;
import dev.jecho.internal.protocol.handshake.HandshakeFormat;
import dev.jecho.testing.ListenerKind;
import dev.jecho.testing.LogCapture;
import dev.jecho.testing.RawSession;
import dev.jecho.testing.StreamClient;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Garbage on every stream listener in the JSON forms: JSON Lines and JSON Lines in authenticated session records
 * on every such kind of the scenario matrix (TCP, Unix; with and without TLS), and the article's legacy wire (TCP,
 * Unix). A truncated value, JSON nested 100,000 deep, invalid UTF-8
 * and random bytes each get their documented error object (docs/protocol.md) and the connection goes on;
 * huge numbers come back exactly as written; 10 MiB without an end gets {@code line_too_long} and a close
 * once the server has read little more than {@code --max-line} of it: what it holds is bounded by the limit,
 * not by the garbage. With a secret, garbage in
 * the handshake or the records ends the session as documented. Another client is served throughout, and no
 * stack trace is logged. (Raw bytes mode, where every byte is a valid message, is {@link GarbageTest}.)
 */
class GarbageJsonTest {

    static final SharedKey KEY = ListenerKind.KEY;
    static final int TEN_MIB = 10 << 20;

    @TempDir
    Path dir;

    enum Mode { JSON, AUTHENTICATED_JSON, LEGACY }

    /** The matrix's JSON kinds, and the legacy wire (not a kind of the matrix) over plain TCP and Unix sockets. */
    static Stream<Arguments> listeners() {
        Stream<Arguments> matrix = ListenerKind.carrying(ListenerKind.Framing.JSON_LINES, ListenerKind.Framing.AUTHENTICATED)
                .map(k -> Arguments.of(k.framing() == ListenerKind.Framing.JSON_LINES ? Mode.JSON : Mode.AUTHENTICATED_JSON, k));
        Stream<Arguments> legacy = Stream.of(Endpoint.Kind.TCP, Endpoint.Kind.UNIX)
                .map(socket -> Arguments.of(Mode.LEGACY, new ListenerKind(socket, false, ListenerKind.Framing.RAW)));
        return Stream.concat(matrix, legacy);
    }

    private JechoServer start(Mode mode, ListenerKind kind) throws Exception {
        return kind.start(dir, options -> {
            options.service(Service.UPPER);
            if (mode == Mode.LEGACY) { // on a raw kind: the listener alone
                options.keys(KEY.toKeyring()).legacyAuth(LegacyDigest.SHA256);
            }
        });
    }

    /** A client of one mode: messages out, reply messages in. */
    private static final class Conn implements AutoCloseable {
        final Mode mode;
        final StreamClient socket;
        RawSession session;
        final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        byte[] unread = new byte[0];

        Conn(Mode mode, ListenerKind kind, Endpoint endpoint) throws IOException {
            this.mode = mode;
            this.socket = kind.socketTo(endpoint);
            if (mode == Mode.AUTHENTICATED_JSON) {
                session = RawSession.open(RawSession.Wire.of(socket), KEY, socket.tlsBinding());
            } else if (mode == Mode.LEGACY) {
                socket.write(LegacyDigest.SHA256.hmac(KEY.secret(), socket.read(32)));
            }
        }

        /** One message: a line (with its newline) or, on the legacy wire, the value alone. */
        void send(byte[] message) throws IOException {
            byte[] framed = mode == Mode.LEGACY ? message : Arrays.copyOf(message, message.length + 1);
            if (mode != Mode.LEGACY) {
                framed[message.length] = '\n';
            }
            if (session != null) {
                session.send(framed);
            } else {
                socket.write(framed);
            }
        }

        void send(String message) throws IOException {
            send(message.getBytes(StandardCharsets.UTF_8));
        }

        /** The next reply message, without its newline. */
        String reply() throws IOException {
            while (true) {
                int end = mode == Mode.LEGACY ? endOfValue(unread) : indexOf(unread, (byte) '\n');
                if (end >= 0) {
                    String reply = new String(unread, 0, mode == Mode.LEGACY ? end : end, StandardCharsets.UTF_8);
                    unread = Arrays.copyOfRange(unread, mode == Mode.LEGACY ? end : end + 1, unread.length);
                    return reply;
                }
                byte[] more = session != null ? session.receiveRecord() : readSome();
                byte[] joined = Arrays.copyOf(unread, unread.length + more.length);
                System.arraycopy(more, 0, joined, unread.length, more.length);
                unread = joined;
            }
        }

        private byte[] readSome() throws IOException {
            ByteBuffer b = ByteBuffer.allocate(64 * 1024);
            if (socket.read(b) < 0) {
                throw new java.io.EOFException("the server closed the connection");
            }
            return Arrays.copyOf(b.array(), b.position());
        }

        /** True when the server has closed the connection (end of stream or reset) and sent nothing more. */
        boolean closedByServer() throws IOException {
            return socket.readUntilClosed(Duration.ofSeconds(10)) == 0;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    static int indexOf(byte[] b, byte x) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == x) {
                return i;
            }
        }
        return -1;
    }

    /** Where the first compact JSON object, array or string in {@code b} ends (exclusive), or -1. */
    static int endOfValue(byte[] b) {
        int depth = 0;
        boolean inString = false;
        boolean escaped = false;
        for (int i = 0; i < b.length; i++) {
            byte c = b[i];
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (c == '\\') {
                    escaped = true;
                } else if (c == '"') {
                    inString = false;
                    if (depth == 0) {
                        return i + 1;
                    }
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if ((c == '}' || c == ']') && --depth == 0) {
                return i + 1;
            }
        }
        return -1;
    }

    private static void stillServes(Conn c) throws IOException {
        c.send("\"still here\"");
        assertThat(c.reply()).as("the same connection goes on").isEqualTo("\"STILL HERE\"");
    }

    private static void bystanderIsServed(Mode mode, ListenerKind kind, Endpoint endpoint) throws IOException {
        try (Conn other = new Conn(mode, kind, endpoint)) {
            other.send("{\"other\":\"client\"}");
            assertThat(other.reply()).isEqualTo("{\"other\":\"CLIENT\"}");
        }
    }

    @ParameterizedTest
    @MethodSource("listeners")
    void garbageGetsItsDocumentedErrorAndTheServerKeepsServing(Mode mode, ListenerKind kind) throws Exception {
        try (LogCapture log = LogCapture.start(); JechoServer server = start(mode, kind)) {
            Endpoint endpoint = server.boundEndpoints().get(0);
            try (Conn c = new Conn(mode, kind, endpoint)) {
                c.send("{\"truncated\":[1,2");
                if (mode == Mode.LEGACY) {
                    // back to back, a value ends only where it closes: the truncated one swallows what follows
                    c.send("]}");
                    assertThat(c.reply()).isEqualTo("{\"truncated\":[1,2]}");
                } else {
                    assertThat(c.reply()).startsWith("{\"error\":\"invalid_json\",\"detail\":\"");
                }
                stillServes(c);

                c.send("[".repeat(100_000) + "]".repeat(100_000));
                assertThat(c.reply()).startsWith("{\"error\":\"too_deep\",\"detail\":\"");
                stillServes(c);

                String huge = "[1e400,-0.0e-99999999999," + "9".repeat(100_000) + ",-" + "1".repeat(50_000) + ".5E+" + "7".repeat(1000) + "]";
                c.send(huge);
                assertThat(c.reply()).as("numbers are copied exactly as written").isEqualTo(huge);
                stillServes(c);

                c.send(new byte[] {'"', 'a', (byte) 0xc3, 0x28, (byte) 0xff, (byte) 0xfe, (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"'});
                assertThat(c.reply()).startsWith("{\"error\":\"invalid_utf8\",\"detail\":\"");
                stillServes(c);

                if (mode != Mode.LEGACY) { // the legacy wire has no line to end random bytes with
                    byte[] random = new byte[64 * 1024];
                    new Random(13).nextBytes(random);
                    for (int i = 0; i < random.length; i++) {
                        if (random[i] == '\n' || random[i] == '\r') {
                            random[i] = 'x';
                        }
                    }
                    c.send(random);
                    assertThat(c.reply()).matches("\\{\"error\":\"(invalid_utf8|invalid_json)\",\"detail\":\".*");
                    stillServes(c);
                }
            }
            bystanderIsServed(mode, kind, endpoint);

            // 10 MiB with no end: line_too_long, then the connection closes; the server never holds it all
            awaitNoneOpen(server);
            long readBefore = server.stats().bytesReadByClosedConnections();
            try (Conn c = new Conn(mode, kind, endpoint)) {
                byte[] endless = new byte[TEN_MIB];
                Arrays.fill(endless, (byte) 'x');
                if (mode == Mode.LEGACY) {
                    endless[0] = '"'; // an unterminated string: the value never ends
                }
                long before = nettyMemory();
                AtomicBoolean sampling = new AtomicBoolean(true);
                AtomicLong peak = new AtomicLong(before);
                Thread sampler = new Thread(() -> {
                    while (sampling.get()) {
                        peak.accumulateAndGet(nettyMemory(), Math::max);
                        LockSupport.parkNanos(200_000);
                    }
                });
                sampler.start();
                CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                    try {
                        if (c.session != null) {
                            c.session.send(endless);
                        } else {
                            c.socket.write(endless);
                        }
                    } catch (IOException closedOnUs) {
                        // expected: the server closes once the limit is passed
                    }
                });
                String reply = c.reply();
                writer.get(60, TimeUnit.SECONDS);
                sampling.set(false);
                sampler.join();
                assertThat(reply).startsWith("{\"error\":\"line_too_long\",\"detail\":\"");
                assertThat(c.closedByServer()).as("closed after line_too_long").isTrue();
                awaitNoneOpen(server);
                long read = server.stats().bytesReadByClosedConnections() - readBefore;
                // what the server read is all it could hold: the 1 MiB line limit and one read batch past it
                assertThat(read).as("bytes the server read of the 10 MiB").isLessThan(3L << 20);
                System.out.printf("garbage %s over %s: 10 MiB without an end: line_too_long after the server read %d KiB;"
                        + " Netty buffer memory rose by at most %d KiB (allocator chunks, not live bytes)%n",
                        mode, kind, read >> 10, (peak.get() - before) >> 10);
            }
            bystanderIsServed(mode, kind, endpoint);
            assertThat(log.events()).filteredOn(e -> e.getThrowableProxy() != null).as("no stack trace").isEmpty();
        }
    }

    private static void awaitNoneOpen(JechoServer server) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.stats().openConnections() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertThat(server.stats().openConnections()).isZero();
    }

    private static long nettyMemory() {
        ByteBufAllocatorMetric m = PooledByteBufAllocator.DEFAULT.metric(); // the allocator the server's channels use
        return m.usedDirectMemory() + m.usedHeapMemory();
    }

    @ParameterizedTest
    @MethodSource("listeners")
    void randomBytesFromTheFirstByteAreAnsweredOrCutOffAndHarmNoOneElse(Mode mode, ListenerKind kind) throws Exception {
        try (JechoServer server = start(mode, kind)) {
            Endpoint endpoint = server.boundEndpoints().get(0);
            byte[] random = new byte[256 * 1024];
            new Random(17).nextBytes(random);
            random[0] = 'X'; // not the first byte of a handshake
            try (StreamClient c = kind.socketTo(endpoint)) {
                CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                    try {
                        c.write(random);
                        c.shutdownOutput();
                    } catch (IOException cutOff) {
                        // the handshake modes close at the first wrong byte
                    }
                });
                long got = drainUntilClosed(c);
                writer.get(60, TimeUnit.SECONDS);
                switch (mode) {
                    // every line, invalid or not, was answered, and the half-close ended the connection
                    case JSON -> assertThat(got).isPositive();
                    // the hello, then the one failure byte
                    case AUTHENTICATED_JSON -> assertThat(got).isEqualTo(HandshakeFormat.SERVER_HELLO_LENGTH + 1);
                    // the nonce; the "digest" was wrong: closed without a word
                    case LEGACY -> assertThat(got).isEqualTo(32);
                }
            }
            bystanderIsServed(mode, kind, endpoint);
        }
    }

    /** Reads until the server closes; returns how many bytes came. */
    private static long drainUntilClosed(StreamClient c) throws IOException {
        return c.readUntilClosed(Duration.ofSeconds(10));
    }

    @Test
    void garbageInTheHandshakeOrTheRecordsEndsTheSessionAsDocumented() throws Exception {
        try (LogCapture log = LogCapture.start(); JechoServer server = start(Mode.AUTHENTICATED_JSON,
                new ListenerKind(Endpoint.Kind.TCP, false, ListenerKind.Framing.AUTHENTICATED))) {
            Endpoint endpoint = server.boundEndpoints().get(0);
            // a truncated auth message, then the client's end of stream: closed without the failure byte
            try (StreamClient c = StreamClient.connect(endpoint)) {
                RawSession.Auth auth = RawSession.readHelloAndPrepare(c, KEY);
                c.write(Arrays.copyOf(auth.message(), 30));
                c.channel().shutdownOutput();
                assertThat(drainUntilClosed(c)).isZero();
            }
            // a record whose tag is wrong
            try (StreamClient c = StreamClient.connect(endpoint)) {
                RawSession session = RawSession.open(c, KEY);
                byte[] record = session.seal("\"flipped\"\n".getBytes(StandardCharsets.UTF_8));
                record[record.length - 1] ^= 1;
                c.write(record);
                assertThat(drainUntilClosed(c)).as("no reply, closed").isZero();
            }
            // a record header announcing more than 65536 bytes: closed at once, nothing more is read
            try (StreamClient c = StreamClient.connect(endpoint)) {
                RawSession.open(c, KEY);
                c.write(new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2, 3});
                assertThat(drainUntilClosed(c)).isZero();
            }
            // a truncated record, then the client's end of stream
            try (StreamClient c = StreamClient.connect(endpoint)) {
                RawSession session = RawSession.open(c, KEY);
                byte[] record = session.seal("\"cut\"\n".getBytes(StandardCharsets.UTF_8));
                c.write(Arrays.copyOf(record, record.length - 5));
                c.channel().shutdownOutput();
                assertThat(drainUntilClosed(c)).isZero();
            }
            bystanderIsServed(Mode.AUTHENTICATED_JSON, new ListenerKind(Endpoint.Kind.TCP, false, ListenerKind.Framing.AUTHENTICATED),
                    endpoint);
            assertThat(log.events()).filteredOn(e -> e.getThrowableProxy() != null).as("no stack trace").isEmpty();
            assertThat(log.events()).filteredOn(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN))
                    .as("a peer's bad records are its fault, said in the close line").isEmpty();
            assertThat(log.lines()).anyMatch(line -> line.contains("(session record rejected: bad record tag at sequence 0"))
                    .anyMatch(line -> line.contains("(session record rejected: record length out of range"));
        }
    }
}
