package dev.jecho.cli;

import dev.jecho.Endpoint;
import dev.jecho.Fault;
import dev.jecho.JechoServer;
import dev.jecho.ServerConfig;
import dev.jecho.Service;
import dev.jecho.testing.Repository;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The error lines the README quotes are the ones jecho prints (its port 8888 stands for the one used). */
class ReadmeMessagesTest {

    /** The README's `...` quote that starts with {@code start}, its line breaks undone. */
    private static String quoted(String start) throws Exception {
        String readme = Files.readString(Repository.file("README.md"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("`(" + Pattern.quote(start) + "[^`]*)`").matcher(readme);
        assertThat(m.find()).as("the README quotes '%s'", start).isTrue();
        return m.group(1).replaceAll("\\s*\\n\\s*", " ");
    }

    @Test
    void theProtectedModeError() throws Exception {
        String readme = quoted("jecho: cannot listen on tcp://0.0.0.0:8888: protected mode");
        CliTestSupport.Result r = CliTestSupport.run("", "server", "--tcp", "0.0.0.0:0");
        assertThat(r.errLines()).containsExactly(readme.replace(":8888", ":0"));
    }

    @Test
    void theResetConnectionError() throws Exception {
        String readme = quoted("jecho: the server reset the connection (");
        try (JechoServer server = faulty("reset-after=2").tcp("127.0.0.1", 0).start()) {
            CliTestSupport.Result r = CliTestSupport.run("", "client", server.boundEndpoints().get(0).toString(), "-m", "hello");
            assertThat(r.errLines()).containsExactly(readme);
        }
    }

    @Test
    void theTruncatedDatagramError() throws Exception {
        String readme = quoted("jecho: the reply from udp://127.0.0.1:8888 is not");
        try (JechoServer server = faulty("truncate=2").udp("127.0.0.1", 0).start()) {
            Endpoint udp = server.boundEndpoints().get(0);
            CliTestSupport.Result r = CliTestSupport.run("", "client", udp.toString(), "-m", "hello", "--expect", "echo");
            assertThat(r.errLines()).containsExactly(readme.replace(":8888", ":" + udp.port()));
        }
    }

    private static ServerConfig.Builder faulty(String fault) {
        return JechoServer.builder().service(Service.ECHO).fault(Fault.parse(fault)).logConnections(false);
    }

    @Test
    void theAddressInUseError() throws Exception {
        String readme = quoted("jecho: cannot listen on tcp://127.0.0.1:8888: address already");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            CliTestSupport.Result r = CliTestSupport.run("", "server", "--tcp", "127.0.0.1:" + port);
            assertThat(r.errLines()).containsExactly(readme.replace(":8888", ":" + port));
        }
    }
}
