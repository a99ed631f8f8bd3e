package dev.jecho;

import dev.jecho.testing.StreamClient;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * One JSON line cannot hold an event loop: a 1 MiB string of characters whose upper case is longer (the JDK's
 * {@code toUpperCase} was quadratic on them: about two minutes for this line) is answered while another
 * connection on the same, only event loop keeps getting its replies at once.
 */
class JsonStallTest {

    /** Far above a loaded machine's scheduling noise, far below the minutes the quadratic upper case took. */
    private static final long PROMPT_MILLIS = 2_000;

    @Test
    void aMebibyteLineOfGrowingCharactersDoesNotDelayAnotherConnection() throws Exception {
        int count = (1 << 19) - 1;
        byte[] line = ("\"" + "\u0390".repeat(count) + "\"\n").getBytes(StandardCharsets.UTF_8); // ΐ: 2 bytes of UTF-8
        assertThat(line.length).as("exactly the default --max-line, and its newline").isEqualTo((1 << 20) + 1);
        // Its upper case is three chars, Ϊ́ (not computed with toUpperCase here: that would take the minutes)
        byte[] expected = ("\"" + "\u0399\u0308\u0301".repeat(count) + "\"\n").getBytes(StandardCharsets.UTF_8);

        ExecutorService threads = Executors.newFixedThreadPool(3);
        try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).json(true).service(Service.UPPER)
                .ioThreads(1).start()) {
            Endpoint endpoint = server.boundEndpoints().get(0);
            try (StreamClient bystander = StreamClient.connect(endpoint); StreamClient heavy = StreamClient.connect(endpoint)) {
                byte[] ping = "\"ping\"\n".getBytes(StandardCharsets.US_ASCII);
                byte[] pong = "\"PING\"\n".getBytes(StandardCharsets.US_ASCII);
                assertThat(bystander.exchange(ping)).isEqualTo(pong);

                Future<byte[]> reply = threads.submit(() -> heavy.read(expected.length));
                CompletableFuture.runAsync(() -> {
                    try {
                        heavy.write(line);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }, threads);

                // Ping until the heavy reply is in: some pings fall while the server works on the line.
                int pings = 0;
                long slowest = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!reply.isDone() && System.nanoTime() - deadline < 0) {
                    long start = System.nanoTime();
                    Future<byte[]> answer = threads.submit(() -> bystander.exchange(ping));
                    try {
                        assertThat(answer.get(PROMPT_MILLIS, TimeUnit.MILLISECONDS)).isEqualTo(pong);
                    } catch (TimeoutException e) {
                        fail("a 7-byte echo waited over " + PROMPT_MILLIS + " ms behind another connection's line");
                    }
                    slowest = Math.max(slowest, System.nanoTime() - start);
                    pings++;
                }
                assertThat(reply.get(1, TimeUnit.SECONDS)).as("the long line's reply, upper-cased").isEqualTo(expected);
                System.out.printf("json stall: %d pings while a 1 MiB line of U+0390 was answered, slowest %d ms%n",
                        pings, TimeUnit.NANOSECONDS.toMillis(slowest));
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
