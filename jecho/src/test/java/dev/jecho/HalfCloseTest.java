package dev.jecho;

import dev.jecho.testing.ListenerKind;
import dev.jecho.testing.Payloads;
import dev.jecho.testing.Session;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that sends and then shuts down its output still gets every byte back, then end of stream: over every
 * listener kind of the matrix (inside TLS, the client's close_notify is its half-close). 4 MiB of raw bytes,
 * 512 KiB of JSON lines (each line parsed and re-serialized: at 4 MiB a JSON kind took 8 s on a busy machine).
 */
class HalfCloseTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("dev.jecho.testing.ListenerKind#all")
    void everyReplyArrivesBeforeTheServerCloses(ListenerKind kind) throws Exception {
        try (JechoServer server = kind.start(dir, options -> options.service(Service.UPPER));
             Session client = kind.connect(server)) {
            byte[] payload = kind.stream(new Random(7), kind.json() ? 512 << 10 : 4 << 20); // JSON: parsed, re-serialized
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    client.send(payload);
                    client.shutdownOutput();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            byte[] received = client.receive(payload.length);
            writer.get(30, TimeUnit.SECONDS);
            assertThat(received).isEqualTo(Payloads.upper(payload));
            assertThat(client.readUntilClosed(Duration.ofSeconds(10))).as("nothing after the replies but the end").isZero();
        }
    }
}
