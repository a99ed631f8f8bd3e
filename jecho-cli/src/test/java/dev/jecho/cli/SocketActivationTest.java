package dev.jecho.cli;

import dev.jecho.Endpoint;
import dev.jecho.testing.JechoProcess;
import dev.jecho.testing.Repository;
import dev.jecho.testing.RoundTrips;
import io.netty.channel.epoll.Epoll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code jecho server} started as systemd starts a socket-activated service: a supervisor
 * ({@code src/test/resources/socket-activate.py}, sd_listen_fds(3)'s side of the protocol) binds the sockets and
 * hands them over as descriptors 3, 4, 5 with LISTEN_PID, LISTEN_FDS and LISTEN_FDNAMES; and restarts the server,
 * as {@code systemctl restart} does, while clients keep connecting.
 */
class SocketActivationTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void epoll() {
        assumeTrue(Epoll.isAvailable(), "socket activation needs epoll");
    }

    @Test
    void servesTheSocketsHandedOverAndARestartLosesNoConnectionAttempt() throws Exception {
        Path unix = dir.resolve("activated.sock");
        List<String> launcher = List.of("python3", Repository.file("jecho-cli/src/test/resources/socket-activate.py").toString(),
                "tcp:127.0.0.1:0", "udp:127.0.0.1:0", "unix:" + unix, "--");
        try (JechoProcess server = JechoProcess.startUnder(launcher, "server", "--no-connection-log")) {
            List<Endpoint> listening = server.awaitListening(3);
            List<Endpoint> sockets = server.stdoutLines().stream().filter(line -> line.startsWith("socket "))
                    .map(line -> Endpoint.parse(line.substring("socket ".length()))).toList();
            assertThat(sockets).as("the supervisor's sockets").hasSize(3);
            assertThat(listening).as("the sockets handed over, in order, and no default listener")
                    .containsExactlyElementsOf(sockets);
            InetSocketAddress tcp = sockets.get(0).inetSocketAddress();
            InetSocketAddress udp = sockets.get(1).inetSocketAddress();
            assertThat(RoundTrips.tcp(tcp, "tcp\n")).isEqualTo("TCP\n");
            assertThat(RoundTrips.udp(udp, "udp")).isEqualTo("UDP");
            assertThat(RoundTrips.unix(unix, "unix\n")).isEqualTo("UNIX\n");

            // Clients connect one after another throughout the restart; every one must be answered.
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger answered = new AtomicInteger();
            List<String> failures = new CopyOnWriteArrayList<>();
            Thread clients = new Thread(() -> {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                for (int i = 0; i < 5_000 && !stop.get() && System.nanoTime() < deadline; i++) {
                    String message = "m" + i + "\n";
                    try {
                        String reply = RoundTrips.tcp(tcp, message);
                        if (reply.equals(message.toUpperCase())) {
                            answered.incrementAndGet();
                        } else {
                            failures.add(message.trim() + ": got '" + reply + "'");
                        }
                    } catch (IOException e) {
                        failures.add(message.trim() + ": " + e);
                    }
                }
            }, "clients");
            clients.start();
            awaitAnswers(answered, 5);

            new ProcessBuilder("kill", "-HUP", Long.toString(server.process().pid())).inheritIO().start().waitFor();
            server.awaitLine("restarting");
            // Now no server runs: what arrives waits on the sockets the supervisor keeps open.
            try (Socket queued = new Socket()) {
                queued.connect(tcp, 5_000);
                queued.setSoTimeout(60_000);
                queued.getOutputStream().write("queued\n".getBytes(StandardCharsets.US_ASCII));
                try (DatagramSocket datagram = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                    datagram.setSoTimeout(60_000);
                    datagram.send(new DatagramPacket("queued".getBytes(StandardCharsets.US_ASCII), 6, udp));
                    assertThat(server.awaitListening(3)).as("the restarted server, on the same sockets").containsExactlyElementsOf(sockets);
                    assertThat(new String(queued.getInputStream().readNBytes(7), StandardCharsets.US_ASCII))
                            .as("a connection made while no server ran").isEqualTo("QUEUED\n");
                    DatagramPacket reply = new DatagramPacket(new byte[16], 16);
                    datagram.receive(reply);
                    assertThat(new String(reply.getData(), 0, reply.getLength(), StandardCharsets.US_ASCII))
                            .as("a datagram sent while no server ran").isEqualTo("QUEUED");
                }
            }
            int before = answered.get();
            awaitAnswers(answered, before + 5);
            stop.set(true);
            clients.join(Duration.ofSeconds(70).toMillis());
            assertThat(failures).as("connections refused or unanswered across the restart").isEmpty();
            assertThat(RoundTrips.unix(unix, "still\n")).isEqualTo("STILL\n");

            server.terminate();
            assertThat(server.waitFor(30)).as("the supervisor's exit, the server's").isZero();
            assertThat(unix).as("the socket file is the supervisor's: jecho leaves it").exists();
            System.out.printf("socket activation: %d connections answered across a restart, none refused%n", answered.get());
        }
    }

    @Test
    void aSocketHandedOverInBlockingModeIsRefusedWithWhatToDo() throws Exception {
        List<String> launcher = List.of("python3", Repository.file("jecho-cli/src/test/resources/socket-activate.py").toString(),
                "--blocking", "tcp:127.0.0.1:0", "--");
        try (JechoProcess server = JechoProcess.startUnder(launcher, "server")) {
            assertThat(server.waitFor(60)).as("the supervisor's exit, the server's").isEqualTo(ExitCodes.USAGE);
            assertThat(server.stderr().lines().filter(line -> line.startsWith("jecho: ")).toList()).containsExactly(
                    "jecho: cannot serve the socket handed over as descriptor 3: socket 3 is in blocking mode, where it"
                            + " would stall the server: hand it over non-blocking (NonBlocking=yes in the systemd service unit)"
                            + " (see 'jecho server --help')");
        }
    }

    private static void awaitAnswers(AtomicInteger answered, int atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (answered.get() < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(answered.get()).as("answers").isGreaterThanOrEqualTo(atLeast);
    }



}
