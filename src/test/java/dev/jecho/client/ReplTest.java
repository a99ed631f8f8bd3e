package dev.jecho.client;

import dev.jecho.server.JechoServer;
import dev.jecho.transport.Endpoint;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

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
                .keys(dev.jecho.keys.Keyring.of(new dev.jecho.keys.SharedKey("", new byte[32]))).start()) {
            ClientConfig config = ClientConfig.builder(json.boundEndpoints().get(0)).json(true)
                    .keys(dev.jecho.keys.Keyring.of(new dev.jecho.keys.SharedKey("", new byte[32]))).build();
            String screen = session(config, "hello \"you\"\n{\"a\": [1, \"b\"]}\n42\nexit\n");
            assertThat(screen).isEqualTo(">>> \"HELLO \\\"YOU\\\"\"\n>>> {\"a\":[1,\"B\"]}\n>>> 42\n>>> client close\n");
        }
    }

    @Test
    void udpReplSendsAnEmptyLineAsAnEmptyDatagram() throws Exception {
        String screen = session(server.boundEndpoints().get(1), "a\n\nb\nexit\n");
        assertThat(screen).isEqualTo(">>> A\n>>> \n>>> B\n>>> client close\n");
        assertThat(server.stats().datagramsReceived()).isEqualTo(3);
    }
}
