package dev.jecho;

import ch.qos.logback.classic.Level;
import dev.jecho.testing.ListenerKind;
import dev.jecho.testing.LogCapture;
import dev.jecho.testing.Payloads;
import dev.jecho.testing.StreamClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Garbage on every listener. In raw mode every byte is a valid message, so the documented behaviour is
 * the service's reply (on every raw kind of the scenario matrix: TCP and Unix sockets, with and without TLS): random bytes, invalid UTF-8, 10 MiB without a newline and a 256 MiB stream come back
 * transformed, byte for byte, with the server's memory bounded and nothing logged above INFO; another
 * client is served throughout. With a secret, random datagrams get no reply at all. (Truncated frames, deep
 * JSON, huge numbers and garbage in the handshake are in {@link GarbageJsonTest}.)
 */
class GarbageTest {

    @TempDir
    Path dir;

    private static JechoServer startTcp() throws Exception {
        return JechoServer.builder().service(Service.UPPER).logConnections(false).tcp("127.0.0.1", 0).start();
    }

    static Stream<ListenerKind> rawKinds() {
        return ListenerKind.carrying(ListenerKind.Framing.RAW);
    }

    @ParameterizedTest
    @MethodSource("rawKinds")
    void randomBytesInvalidUtf8AndTenMibWithoutANewlineComeBackWhole(ListenerKind kind) throws Exception {
        try (LogCapture log = LogCapture.start();
             JechoServer server = kind.start(dir, options -> options.service(Service.UPPER).logConnections(false))) {
            Endpoint endpoint = server.boundEndpoints().get(0);
            Random random = new Random(11);
            byte[] invalidUtf8 = {(byte) 0xc3, 0x28, (byte) 0xa0, (byte) 0xa1, (byte) 0xe2, 0x28, (byte) 0xa1, (byte) 0xf0,
                    0x28, (byte) 0x8c, (byte) 0xbc, (byte) 0xff, (byte) 0xfe, (byte) 0xc0, (byte) 0x80};
            byte[] noNewline = new byte[10 << 20];
            Arrays.fill(noNewline, (byte) 'x');
            for (byte[] garbage : new byte[][] {Payloads.random(random, 1 << 20, 1 << 20), invalidUtf8, noNewline,
                    "{\"a\":".repeat(100_000).getBytes()}) {
                try (StreamClient client = kind.socketTo(endpoint)) {
                    CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                        try {
                            client.write(garbage);
                        } catch (Exception e) {
                            throw new RuntimeException(e);
                        }
                    });
                    assertThat(client.read(garbage.length)).isEqualTo(Payloads.upper(garbage));
                    writer.get(60, TimeUnit.SECONDS);
                }
                try (StreamClient bystander = kind.socketTo(endpoint)) {
                    assertThat(bystander.exchange("still serving".getBytes())).isEqualTo("STILL SERVING".getBytes());
                }
            }
            assertThat(log.events()).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).isEmpty();
        }
    }

    @Test
    void aHugeStreamKeepsTheServersMemoryBounded() throws Exception {
        long total = 256L << 20;
        try (JechoServer server = startTcp();
             StreamClient client = StreamClient.connect(server.boundEndpoints().get(0))) {
            AtomicBoolean sampling = new AtomicBoolean(true);
            AtomicLong largest = new AtomicLong();
            Thread sampler = new Thread(() -> {
                while (sampling.get()) {
                    largest.accumulateAndGet(server.stats().largestPendingReplyBytes(), Math::max);
                    java.util.concurrent.locks.LockSupport.parkNanos(50_000);
                }
            });
            sampler.start();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 20);
                try {
                    for (long sent = 0; sent < total; sent += chunk.capacity()) {
                        chunk.clear();
                        while (chunk.hasRemaining()) {
                            client.channel().write(chunk);
                        }
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            ByteBuffer in = ByteBuffer.allocateDirect(1 << 20);
            long received = 0;
            while (received < total) {
                int n = client.channel().read(in);
                assertThat(n).isNotNegative();
                received += n;
                in.clear();
            }
            writer.get(60, TimeUnit.SECONDS);
            sampling.set(false);
            sampler.join();
            assertThat(received).isEqualTo(total);
            assertThat(largest.get()).isLessThanOrEqualTo(ServerConfig.DEFAULT_WRITE_BUFFER_HIGH + 64 * 1024 + 2 * 96);
        }
    }

    @Test
    void randomDatagramsGetTheirRepliesOrAreDroppedWithoutHarm() throws Exception {
        try (JechoServer server = JechoServer.builder().udp("127.0.0.1", 0).service(Service.UPPER).start();
             DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            Endpoint udp = server.boundEndpoints().get(0);
            InetSocketAddress target = new InetSocketAddress(udp.host(), udp.port());
            s.setSoTimeout(2000);
            s.setReceiveBufferSize(4 << 20);
            Random random = new Random(12);
            for (int i = 0; i < 100; i++) {
                int size = i % 10 == 0 ? 65_507 : random.nextInt(3000);
                byte[] garbage = Payloads.random(random, size, size);
                s.send(new DatagramPacket(garbage, garbage.length, target));
                DatagramPacket reply = new DatagramPacket(new byte[70_000], 70_000);
                s.receive(reply);
                assertThat(Arrays.copyOf(reply.getData(), reply.getLength())).isEqualTo(Payloads.upper(garbage));
            }
            // a datagram of the IPv4 maximum that would not fit a smaller buffer: still whole; nothing truncated
            assertThat(server.stats().datagramsTooLarge()).isZero();
            s.setSoTimeout(300);
            byte[] ping = "ping".getBytes();
            s.send(new DatagramPacket(ping, ping.length, target));
            DatagramPacket reply = new DatagramPacket(new byte[16], 16);
            try {
                s.receive(reply);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the server stopped answering after the garbage", e);
            }
            assertThat(new String(reply.getData(), 0, reply.getLength())).isEqualTo("PING");
        }
    }

    @Test
    void randomDatagramsToAnAuthenticatingServerGetNoReplyWhileTaggedOnesDo() throws Exception {
        dev.jecho.internal.keys.SharedKey key = new dev.jecho.internal.keys.SharedKey("u", AuthenticatedJsonTest.bytes(0x19));
        try (JechoServer server = JechoServer.builder().udp("127.0.0.1", 0).keys(key.toKeyring()).start();
             DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            Endpoint udp = server.boundEndpoints().get(0);
            InetSocketAddress target = new InetSocketAddress(udp.host(), udp.port());
            Random random = new Random(23);
            for (int i = 0; i < 200; i++) {
                int size = i % 100 == 0 ? 65_507 : random.nextInt(200);
                byte[] garbage = Payloads.random(random, size, size);
                s.send(new DatagramPacket(garbage, garbage.length, target));
            }
            try (dev.jecho.JechoClient tagged = dev.jecho.ClientConfig.builder(udp)
                    .keys(key.toKeyring()).connect()) {
                assertThat(tagged.exchange("tagged".getBytes())).isEqualTo("TAGGED".getBytes());
            }
            s.setSoTimeout(300);
            DatagramPacket reply = new DatagramPacket(new byte[70_000], 70_000);
            assertThat(receives(s, reply)).as("no reply to any of the garbage").isFalse();
            assertThat(server.stats().datagramsReceived()).as("the garbage did arrive").isGreaterThan(1);
        }
    }

    private static boolean receives(DatagramSocket s, DatagramPacket p) throws java.io.IOException {
        try {
            s.receive(p);
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }
}
