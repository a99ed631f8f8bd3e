package dev.jecho;

import dev.jecho.testing.Payloads;
import dev.jecho.testing.StreamClient;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A client that sends and then shuts down its output still gets every byte back, then end of stream. */
class HalfCloseTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix"})
    void everyReplyArrivesBeforeTheServerCloses(String kind) throws Exception {
        var builder = JechoServer.builder().service(Service.UPPER);
        if (kind.equals("tcp")) {
            builder.tcp("127.0.0.1", 0);
        } else {
            builder.unix(dir.resolve("s.sock"));
        }
        try (JechoServer server = builder.start()) {
            Endpoint endpoint = server.boundEndpoints().get(0);
            byte[] payload = Payloads.random(new Random(7), 4 << 20, 4 << 20);
            try (StreamClient client = StreamClient.connect(endpoint)) {
                CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                    try {
                        client.write(payload);
                        client.channel().shutdownOutput();
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                ByteArrayOutputStream received = new ByteArrayOutputStream();
                ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
                while (client.channel().read(buf) >= 0) {
                    received.write(buf.array(), 0, buf.position());
                    buf.clear();
                }
                writer.get(30, TimeUnit.SECONDS);
                assertThat(received.toByteArray()).isEqualTo(Payloads.upper(payload));
            }
        }
    }
}
