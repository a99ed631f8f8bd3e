package dev.jecho.internal.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The socket file's mechanism: bound where only its owner can reach it, made 0600, and only then given its
 * name, so no other user can connect in between whatever the umask.
 */
class UnixSocketFileTest {

    @TempDir
    Path dir;

    private static ServerSocketChannel bindAt(Path at) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        channel.bind(UnixDomainSocketAddress.of(at));
        return channel;
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private List<Path> leftInDir() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }

    @Test
    void theSocketIsBoundInAPrivateDirectoryAndNamedOnlyOnceItIs0600() throws Exception {
        Path target = dir.resolve("jecho.sock");
        AtomicReference<String> atBind = new AtomicReference<>();
        try (ServerSocketChannel channel = UnixSocketFile.bindPrivately(target, at -> {
            // What another user could reach at the moment of bind: nothing at the target, and the socket inside
            // a directory of ours that only we may enter.
            atBind.set("target exists: " + Files.exists(target) + ", bound beside it: " + at.getParent().getParent().equals(dir)
                    + ", directory " + mode(at.getParent()));
            return bindAt(at);
        })) {
            assertThat(atBind.get()).isEqualTo("target exists: false, bound beside it: true, directory rwx------");
            assertThat(mode(target)).isEqualTo("rw-------");
            assertThat(leftInDir()).as("nothing but the socket").containsExactly(target);
            try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(target))) {
                assertThat(channel.accept()).as("the socket answers at its name").isNotNull();
            }
        }
    }

    @Test
    void aFileThatTookThePathMeanwhileIsNeverReplaced() throws Exception {
        Path target = dir.resolve("raced.sock");
        assertThatThrownBy(() -> UnixSocketFile.bindPrivately(target, at -> {
            Files.writeString(target, "another server's"); // appears between the check and the bind
            return bindAt(at);
        }).close()).hasMessage("the path was taken while the socket was being bound (another server?)");
        assertThat(Files.readString(target)).isEqualTo("another server's");
        assertThat(leftInDir()).containsExactly(target);
    }

    @Test
    void aFailedBindLeavesNothingBehind() {
        assertThatThrownBy(() -> UnixSocketFile.bindPrivately(dir.resolve("x.sock"), at -> {
            throw new IOException("bind failed");
        })).hasMessage("bind failed");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void pathsTooLongForASocketAreRefusedBeforeBinding() throws Exception {
        Path deep = Files.createDirectories(dir.resolve("d".repeat(99 - dir.toString().length() - 1)));
        assertThatThrownBy(() -> UnixSocketFile.bindPrivately(deep.resolve("a.sock"), UnixSocketFileTest::bindAt))
                .hasMessage("the socket's directory path is too long: the socket is first bound in a private directory"
                        + " there, and a socket path has at most 107 bytes (keep the directory's path under 99 bytes)");
        assertThatThrownBy(() -> UnixSocketFile.bindPrivately(dir.resolve("s".repeat(120)), UnixSocketFileTest::bindAt))
                .hasMessage("the path is too long: a socket path has at most 107 bytes");
        assertThat(leftInDir()).containsExactly(deep);
        assertThat(deep).isEmptyDirectory();
    }
}
