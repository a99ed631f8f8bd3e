package dev.jecho.cli;

import dev.jecho.ClientConfig;
import dev.jecho.ClientException;
import dev.jecho.Endpoint;
import dev.jecho.JechoClient;
import dev.jecho.JechoServer;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.jline.terminal.impl.ExternalTerminal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The article's interactive client, driven through a terminal made of streams. */
class ReplTest {

    private JechoServer server;

    @BeforeEach
    void start() throws Exception {
        server = JechoServer.builder().tcp("127.0.0.1", 0).udp("127.0.0.1", 0).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String session(Endpoint endpoint, String typed) throws Exception {
        return session(ClientConfig.builder(endpoint).build(), typed);
    }

    private String session(ClientConfig config, String typed) throws Exception {
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        try (Terminal terminal = new DumbTerminal("test", "dumb",
                new ByteArrayInputStream(typed.getBytes(StandardCharsets.UTF_8)), screen, StandardCharsets.UTF_8);
             JechoClient client = JechoClient.connect(config)) {
            new Repl(client, terminal, null).run();
        }
        return screen.toString(StandardCharsets.UTF_8);
    }

    @Test
    void exitFromTheReplQuitsWithClientClose() throws Exception {
        String screen = session(server.boundEndpoints().get(0), "hello\nexit\nnever sent\n");
        assertThat(screen).isEqualTo(">>> HELLO\n>>> client close\n");
        assertThat(server.stats().acceptedConnections()).isEqualTo(1);
    }

    @Test
    void emptyInputIsSkippedAndEachReplyPrinted() throws Exception {
        String screen = session(server.boundEndpoints().get(0), "hello\n\n\nworld\n");
        // end of input (Ctrl-D) quits too; the two empty lines produced no reply lines
        assertThat(screen).isEqualTo(">>> HELLO\n>>> >>> >>> WORLD\n>>> client close\n");
    }

    @Test
    void inJsonModeTextGoesAsAJsonStringAndJsonAsItself() throws Exception {
        try (JechoServer json = JechoServer.builder().tcp("127.0.0.1", 0).json(true)
                .keys(dev.jecho.Keyring.of(new byte[32])).start()) {
            ClientConfig config = ClientConfig.builder(json.boundEndpoints().get(0)).json(true)
                    .keys(dev.jecho.Keyring.of(new byte[32])).build();
            String screen = session(config, "hello \"you\"\n{\"a\": [1, \"b\"]}\n42\nexit\n");
            assertThat(screen).isEqualTo(">>> \"HELLO \\\"YOU\\\"\"\n>>> {\"a\":[1,\"B\"]}\n>>> 42\n>>> client close\n");
        }
    }

    @Test
    void inJsonModeABlankLineIsSkippedNotSentAndWaitedFor() throws Exception {
        // the server answers no blank line; the REPL used to send it and wait out its reply timeout
        try (JechoServer json = JechoServer.builder().tcp("127.0.0.1", 0).json(true).start()) {
            ClientConfig config = ClientConfig.builder(json.boundEndpoints().get(0)).json(true)
                    .timeout(Duration.ofSeconds(30)).build();
            String screen = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> session(config, "a\n  \t \nb\nexit\n"));
            assertThat(screen).isEqualTo(">>> \"A\"\n>>> >>> \"B\"\n>>> client close\n");
        }
    }

    @Test
    void udpReplSendsAnEmptyLineAsAnEmptyDatagram() throws Exception {
        String screen = session(server.boundEndpoints().get(1), "a\n\nb\nexit\n");
        assertThat(screen).isEqualTo(">>> A\n>>> \n>>> B\n>>> client close\n");
        assertThat(server.stats().datagramsReceived()).isEqualTo(3);
    }

    @Test
    void aPastedLineOf100000CharactersArrivesWholeInSeconds() throws Exception {
        // A terminal that draws (xterm, 80 columns): JLine redrew the whole line after every pasted
        // character, and 100,000 characters took minutes (10,000 took 5 s). It takes well under a second
        // now; the bound leaves room for a slow, busy machine. A dumb terminal never redraws: no use here.
        String pasted = "x".repeat(100_000);
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        long took = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (Terminal terminal = new ExternalTerminal("test", "xterm-256color",
                    new ByteArrayInputStream((pasted + "\nexit\n").getBytes(StandardCharsets.UTF_8)), screen, StandardCharsets.UTF_8);
                 JechoClient client = JechoClient.connect(server.boundEndpoints().get(0))) {
                terminal.setSize(new Size(80, 24));
                long start = System.nanoTime();
                new Repl(client, terminal, null).run();
                return System.nanoTime() - start;
            }
        });
        assertThat(screen.toString(StandardCharsets.UTF_8)).contains("X".repeat(100_000));
        assertThat(TimeUnit.NANOSECONDS.toMillis(took)).as("milliseconds for the paste and its reply").isLessThan(15_000);
    }

    @Test
    void theHistoryFileIsCreatedForItsOwnerOnly(@TempDir Path home) throws Exception {
        Path history = home.resolve(".jecho_history");
        historySession(history, "secret\nexit\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(history))).isEqualTo("rw-------");
        assertThat(Files.readString(history)).contains("secret");
    }

    @Test
    void anExistingHistoryFileReadableByOthersIsNarrowedAndKept(@TempDir Path home) throws Exception {
        Path history = home.resolve(".jecho_history");
        Files.writeString(history, "1700000000000:earlier\n"); // JLine's format: epoch millis, then the line
        Files.setPosixFilePermissions(history, PosixFilePermissions.fromString("rw-rw-r--"));
        historySession(history, "later\nexit\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(history))).isEqualTo("rw-------");
        assertThat(Files.readString(history)).contains(":earlier\n").contains(":later\n");
    }

    @Test
    void aHistoryFileJLineRewritesStaysOwnerOnly(@TempDir Path home) throws Exception {
        // An older history without timestamps: JLine deletes the file and writes a new one as it loads it.
        // Nothing is typed (Ctrl-D at once), so no later save could narrow the new file after the fact.
        Path history = home.resolve(".jecho_history");
        Files.writeString(history, "without a timestamp\n");
        Files.setPosixFilePermissions(history, PosixFilePermissions.fromString("rw-------"));
        historySession(history, "");
        assertThat(Files.readString(history)).doesNotContain("without a timestamp");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(history))).isEqualTo("rw-------");
    }

    private void historySession(Path history, String typed) throws Exception {
        try (Terminal terminal = new DumbTerminal("test", "dumb", new ByteArrayInputStream(typed.getBytes(StandardCharsets.UTF_8)),
                new ByteArrayOutputStream(), StandardCharsets.UTF_8);
             JechoClient client = JechoClient.connect(server.boundEndpoints().get(0))) {
            new Repl(client, terminal, history).run();
        }
    }

    @Test
    void anIdleConnectionTheServerClosesIsReportedWhileTheReplWaitsForItsUser() throws Exception {
        try (JechoServer idle = JechoServer.builder().tcp("127.0.0.1", 0).idleTimeout(Duration.ofMillis(300)).start()) {
            ClientException closed = waitingRepl(idle.boundEndpoints().get(0), () -> { });
            assertThat(closed.reason()).isEqualTo(ClientException.Reason.CLOSED);
            assertThat(closed.getMessage()).matches("the server closed the connection, \\d+ m?s after the last reply"
                    + " \\(its idle timeout, or it is stopping\\)");
        }
    }

    @Test
    void aServerStoppingIsReportedWhileTheReplWaitsForItsUser() throws Exception {
        JechoServer stopping = JechoServer.builder().tcp("127.0.0.1", 0).start();
        ClientException closed = waitingRepl(stopping.boundEndpoints().get(0), stopping::close);
        assertThat(closed.reason()).isEqualTo(ClientException.Reason.CLOSED);
        assertThat(closed.getMessage()).startsWith("the server closed the connection, ").doesNotContain("null");
    }

    /**
     * Types one line, then waits as a user who types nothing more: the REPL must end by itself, with the
     * exception it reports the close with, when {@code afterReply} or the server closes the connection.
     */
    private ClientException waitingRepl(Endpoint endpoint, Runnable afterReply) throws Exception {
        CountDownLatch userLeaves = new CountDownLatch(1);
        InputStream keyboard = new InputStream() {
            private final byte[] typed = "hello\n".getBytes(StandardCharsets.UTF_8);
            private int next;

            @Override
            public int read() throws IOException {
                if (next < typed.length) {
                    return typed[next++];
                }
                try {
                    userLeaves.await(); // nothing more is typed until the test is over
                } catch (InterruptedException e) {
                    throw new java.io.InterruptedIOException();
                }
                return -1;
            }
        };
        CountDownLatch replied = new CountDownLatch(1);
        ByteArrayOutputStream screen = new ByteArrayOutputStream() {
            @Override
            public synchronized void write(byte[] b, int off, int len) {
                super.write(b, off, len);
                if (toString(StandardCharsets.UTF_8).contains("HELLO")) {
                    replied.countDown();
                }
            }

            @Override
            public synchronized void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }
        };
        try (Terminal terminal = new DumbTerminal("test", "dumb", keyboard, screen, StandardCharsets.UTF_8);
             JechoClient client = JechoClient.connect(endpoint)) {
            CompletableFuture<Void> repl = CompletableFuture.runAsync(() -> {
                try {
                    new Repl(client, terminal, null).run();
                } catch (ClientException e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
            assertThat(replied.await(10, TimeUnit.SECONDS)).as("the reply to hello is on the screen").isTrue();
            afterReply.run();
            try {
                repl.get(10, TimeUnit.SECONDS);
                throw new AssertionError("the REPL ended without an error; screen: " + screen);
            } catch (ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(ClientException.class);
                assertThat(screen.toString(StandardCharsets.UTF_8)).startsWith(">>> HELLO\n").endsWith("client close\n");
                return (ClientException) e.getCause();
            }
        } finally {
            userLeaves.countDown();
        }
    }
}
