package dev.jecho;

import dev.jecho.internal.transport.NettyTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The article's AF_UNIX family: same services, socket-file housekeeping done right. */
class UnixSocketTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"EPOLL", "IO_URING", "NIO"})
    void servesOverAUnixSocketOnEveryTransport(Transport transport) throws Exception {
        assumeTrue(transport != Transport.EPOLL || io.netty.channel.epoll.Epoll.isAvailable());
        assumeTrue(NettyTransport.available(transport), transport.cliName() + " is not available here");
        Path socket = dir.resolve("jecho.sock");
        try (JechoServer server = JechoServer.builder().unix(socket).transport(transport).start();
             JechoClient client = JechoClient.connect(Endpoint.unix(socket))) {
            assertThat(client.exchange("hello unix".getBytes(StandardCharsets.UTF_8)))
                    .isEqualTo("HELLO UNIX".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(socket).as("socket file removed at shutdown").doesNotExist();
    }

    @Test
    void socketFileIsCreatedForItsOwnerOnly() throws Exception {
        Path socket = dir.resolve("private.sock");
        try (JechoServer server = JechoServer.builder().unix(socket).start()) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
        }
    }

    @Test
    void theSocketIsBoundOutOfOthersReachAndOnlyItIsLeftInItsDirectory() throws Exception {
        Path socket = dir.resolve("only.sock");
        Path kernelTable = Path.of("/proc/net/unix");
        assumeTrue(Files.isReadable(kernelTable));
        try (JechoServer server = JechoServer.builder().unix(socket).start()) {
            // The kernel lists each socket under the name it was bound with. The server's is not its public name:
            // it was bound in a private directory (mode 0700, see UnixSocketFileTest) and named only once 0600.
            List<String> boundNames = Files.readAllLines(kernelTable).stream()
                    .map(line -> line.substring(line.lastIndexOf(' ') + 1))
                    .filter(name -> name.startsWith(dir.toString()))
                    .toList();
            assertThat(boundNames).singleElement().asString().startsWith(dir.resolve(".j").toString()).endsWith("/s");
            try (var files = Files.list(dir)) {
                assertThat(files.toList()).as("the private directory is gone").containsExactly(socket);
            }
        }
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void staleSocketFileFromADeadServerIsReplaced() throws Exception {
        Path socket = dir.resolve("stale.sock");
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(socket));
        } // closed without removing its file, as after a crash
        assertThat(socket).exists();
        try (JechoServer server = JechoServer.builder().unix(socket).start();
             JechoClient client = JechoClient.connect(Endpoint.unix(socket))) {
            assertThat(client.exchange("x".getBytes(StandardCharsets.UTF_8))).isEqualTo("X".getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void socketOfALiveServerIsLeftAloneAndReported() throws Exception {
        Path socket = dir.resolve("live.sock");
        try (ServerSocketChannel live = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            live.bind(UnixDomainSocketAddress.of(socket));
            assertThatThrownBy(() -> JechoServer.builder().unix(socket).start())
                    .isInstanceOf(ListenerException.class)
                    .hasMessage("cannot listen on unix:" + socket + ": a running server is listening there (stop it or choose another path)");
            assertThat(socket).exists();
        }
    }

    @Test
    void aPathThatIsNotASocketIsNeverDeleted() throws Exception {
        Path file = Files.writeString(dir.resolve("precious.txt"), "data");
        assertThatThrownBy(() -> JechoServer.builder().unix(file).start())
                .hasMessageContaining("the path exists and is not a socket");
        assertThat(Files.readString(file)).isEqualTo("data");
    }
}
