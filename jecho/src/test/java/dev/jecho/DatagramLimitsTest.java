package dev.jecho;

import dev.jecho.testing.Payloads;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * UDP abuse: datagrams larger than the maximum are dropped and counted, never answered truncated; two echo
 * servers cannot be driven into a loop by one forged datagram; a flood from one source is held to the
 * configured rate while other sources are answered. (Sizes up to the maximum: {@link DatagramSizesTest}.)
 */
class DatagramLimitsTest {

    private static DatagramSocket socket(String localAddress) throws IOException {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(localAddress, 0));
        s.setReceiveBufferSize(4 << 20);
        s.setSendBufferSize(1 << 20);
        return s;
    }

    /** Sends and waits for the reply; null when none comes within the timeout. */
    private static byte[] exchange(DatagramSocket s, Endpoint to, byte[] message, int timeoutMillis) throws IOException {
        s.setSoTimeout(timeoutMillis);
        s.send(new DatagramPacket(message, message.length, new InetSocketAddress(to.host(), to.port())));
        DatagramPacket reply = new DatagramPacket(new byte[70_000], 70_000);
        try {
            s.receive(reply);
        } catch (SocketTimeoutException e) {
            return null;
        }
        return Arrays.copyOf(reply.getData(), reply.getLength());
    }

    @Test
    void overIpv6DatagramsPastTheIpv4MaximumAreDroppedAndCountedNeverTruncated() throws Exception {
        try (JechoServer server = JechoServer.builder().udp("::1", 0).service(Service.UPPER).start();
             DatagramSocket s = socket("::1")) {
            Endpoint udp = server.boundEndpoints().get(0);
            Random random = new Random(3);
            for (int size : new int[] {65508, 65527}) {
                assertThat(exchange(s, udp, Payloads.random(random, size, size), 500)).as("reply to %d bytes", size).isNull();
            }
            assertThat(server.stats().datagramsTooLarge()).isEqualTo(2);
            byte[] max = Payloads.random(random, 65507, 65507);
            assertThat(exchange(s, udp, max, 2000)).isEqualTo(Payloads.upper(max));
        }
    }

    @Test
    void aConfiguredMaximumIsAnsweredWholeAndOneByteMoreIsDropped() throws Exception {
        try (JechoServer server = JechoServer.builder().udp("127.0.0.1", 0).service(Service.UPPER).maxDatagram(2048).start();
             DatagramSocket s = socket("127.0.0.1")) {
            Endpoint udp = server.boundEndpoints().get(0);
            Random random = new Random(4);
            for (int size : new int[] {0, 1, 1472, 2048}) {
                byte[] m = Payloads.random(random, size, size);
                assertThat(exchange(s, udp, m, 2000)).as("%d bytes", size).isEqualTo(Payloads.upper(m));
            }
            assertThat(exchange(s, udp, Payloads.random(random, 2049, 2049), 500)).isNull();
            assertThat(exchange(s, udp, Payloads.random(random, 65507, 65507), 500)).isNull();
            assertThat(server.stats().datagramsTooLarge()).isEqualTo(2);
        }
    }

    @Test
    void aForgedDatagramBetweenTwoEchoServersOnOnePortSendsAtMostOneDatagramInAll() throws Exception {
        JechoServer a = JechoServer.builder().udp("127.0.0.2", 0).service(Service.ECHO).start();
        int port = a.boundEndpoints().get(0).port();
        JechoServer b;
        try {
            b = JechoServer.builder().udp("127.0.0.3", port).service(Service.ECHO).start();
        } catch (ListenerException taken) {
            a.close();
            throw new AssertionError("port " + port + " is free on 127.0.0.2 but taken on 127.0.0.3; rerun", taken);
        }
        try (a; b) {
            // the attacker's datagram: to A, from B's address and port (CVE-2024-2169)
            int exit = forge("127.0.0.3", port, "127.0.0.2", port, "loop?");
            assumeTrue(exit != 77, "forging a source address needs raw sockets (root)");
            assertThat(exit).isZero();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (a.stats().datagramsReceived() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            Thread.sleep(300); // long enough for thousands of loop round trips on loopback
            assertThat(a.stats().datagramsReceived()).as("A got the forged datagram").isEqualTo(1);
            assertThat(a.stats().datagramsDropped()).as("and did not answer it").isEqualTo(1);
            assertThat(a.stats().datagramsReceived() + b.stats().datagramsReceived())
                    .as("datagrams that reached either server").isLessThanOrEqualTo(1);
        }
    }

    @Test
    void aFloodFromOneSourceIsHeldToTheRateWhileOtherSourcesAreAnswered() throws Exception {
        int rate = 100;
        int burst = 20;
        try (JechoServer server = JechoServer.builder().udp("127.0.0.1", 0).service(Service.ECHO)
                .udpRateLimit(rate, burst).limitExempt("127.0.0.4").start();
             DatagramSocket flooder = socket("127.0.0.2");
             DatagramSocket other = socket("127.0.0.3");
             DatagramSocket exempt = socket("127.0.0.4")) {
            Endpoint udp = server.boundEndpoints().get(0);
            InetSocketAddress target = new InetSocketAddress(udp.host(), udp.port());
            AtomicInteger floodReplies = new AtomicInteger();
            flooder.setSoTimeout(500);
            CompletableFuture<Void> counter = CompletableFuture.runAsync(() -> {
                DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
                try {
                    while (true) {
                        flooder.receive(p);
                        floodReplies.incrementAndGet();
                    }
                } catch (SocketTimeoutException quiet) {
                    // half a second without a reply: the flood is over
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });

            byte[] m = new byte[100];
            long start = System.nanoTime();
            int answeredOther = 0;
            for (int i = 0; i < 3000; i++) {
                flooder.send(new DatagramPacket(m, m.length, target));
                if (i % 150 == 0) {
                    byte[] ping = ("other " + i).getBytes();
                    answeredOther += exchangeWithRetries(other, udp, ping) ? 1 : 0;
                }
                if (i % 50 == 0) {
                    Thread.sleep(1); // pace it, so the kernel's receive buffer does not decide what is dropped
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            counter.get(30, TimeUnit.SECONDS);

            assertThat(answeredOther).as("the other source's 20 datagrams").isEqualTo(20);
            assertThat(floodReplies.get()).as("replies to 3000 datagrams sent in %.2f s", seconds)
                    .isGreaterThanOrEqualTo(burst)
                    .isLessThanOrEqualTo((int) (burst + rate * (seconds + 0.1)) + 2);
            assertThat(server.stats().datagramsRateLimited()).isGreaterThanOrEqualTo(3000 - floodReplies.get() - 300);

            for (int i = 0; i < 300; i++) {
                byte[] ping = ("exempt " + i).getBytes();
                assertThat(exchange(exempt, udp, ping, 2000)).as("exempt datagram %d", i).isEqualTo(ping);
            }
        }
    }

    private static boolean exchangeWithRetries(DatagramSocket s, Endpoint udp, byte[] message) throws IOException {
        for (int attempt = 0; attempt < 5; attempt++) {
            byte[] reply = exchange(s, udp, message, 300);
            if (reply != null) {
                return Arrays.equals(reply, message);
            }
        }
        return false;
    }

    /** Runs the forging helper as its own process; returns its exit code (77: not permitted). */
    private static int forge(String srcIp, int srcPort, String dstIp, int dstPort, String payload) throws Exception {
        Path script = Files.createTempFile("forge", ".py");
        try (InputStream in = DatagramLimitsTest.class.getResourceAsStream("/udp/forge_datagram.py")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        try {
            Process p = new ProcessBuilder("python3", script.toString(), srcIp, String.valueOf(srcPort), dstIp,
                    String.valueOf(dstPort), payload).redirectErrorStream(true).start();
            if (!p.waitFor(Duration.ofSeconds(20).toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("the forging helper did not finish");
            }
            String out = new String(p.getInputStream().readAllBytes());
            if (p.exitValue() != 0 && p.exitValue() != 77) {
                throw new AssertionError("forging helper failed: " + out);
            }
            return p.exitValue();
        } finally {
            Files.deleteIfExists(script);
        }
    }
}
