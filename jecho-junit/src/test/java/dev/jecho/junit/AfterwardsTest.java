package dev.jecho.junit;

import dev.jecho.Endpoint;
import dev.jecho.JechoServer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * What the extension checks afterwards, seen from outside: each case below is a test class run by JUnit's
 * EngineTestKit, whose outcome is then checked. A leaked Netty buffer and a connection left open fail the test
 * that caused them, with a message that says so; a class's server is stopped after the class.
 */
class AfterwardsTest {

    /** Runs a case class and returns how its tests ended. */
    static List<Event> run(Class<?> testClass) {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter").selectors(selectClass(testClass))
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "false")
                .execute();
        return results.testEvents().finished().list();
    }

    static Throwable failure(Event finished) {
        return finished.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable).orElse(null);
    }

    static TestExecutionResult.Status status(Event finished) {
        return finished.getPayload(TestExecutionResult.class).orElseThrow().getStatus();
    }

    static class LeakingCase {
        @RegisterExtension
        JechoServerExtension server = new JechoServerExtension();

        @Test
        void dropsABufferUnreleased() {
            leak();
        }

        private static void leak() {
            ByteBuf buffer = ByteBufAllocator.DEFAULT.directBuffer(16);
            buffer.writeLong(42);
        }
    }

    @Test
    void aBufferLeakedDuringTheTestFailsIt() {
        List<Event> finished = run(LeakingCase.class);
        assertThat(finished).hasSize(1);
        assertThat(status(finished.get(0))).isEqualTo(TestExecutionResult.Status.FAILED);
        assertThat(failure(finished.get(0))).hasMessageContaining("after dropsABufferUnreleased()")
                .hasMessageContaining("Netty reported 1 buffer leak").hasMessageContaining("LeakingCase.leak");
    }

    static Socket leftOpen;

    /** A connection that has had its reply (so the server has surely accepted it), left open. */
    static Socket exchanged(Endpoint endpoint) throws IOException {
        Socket socket = new Socket(endpoint.host(), endpoint.port());
        socket.getOutputStream().write("hi".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertThat(socket.getInputStream().readNBytes(2)).isEqualTo("HI".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return socket;
    }

    static class OpenConnectionCase {
        @RegisterExtension
        JechoServerExtension server = new JechoServerExtension();

        @Test
        void leavesItsConnectionOpen(Endpoint endpoint) throws IOException {
            leftOpen = exchanged(endpoint);
        }
    }

    static class AllowedOpenConnectionCase {
        @RegisterExtension
        JechoServerExtension server = new JechoServerExtension().allowOpenConnections();

        @Test
        void leavesItsConnectionOpen(Endpoint endpoint) throws IOException {
            leftOpen = exchanged(endpoint);
        }
    }

    @Test
    void aConnectionLeftOpenFailsTheTestUnlessAllowed() throws IOException {
        try {
            List<Event> finished = run(OpenConnectionCase.class);
            assertThat(status(finished.get(0))).isEqualTo(TestExecutionResult.Status.FAILED);
            assertThat(failure(finished.get(0))).hasMessageContaining("1 connection still open")
                    .hasMessageContaining("a client did not close it");
        } finally {
            leftOpen.close();
        }
        try {
            assertThat(status(run(AllowedOpenConnectionCase.class).get(0))).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
        } finally {
            leftOpen.close();
        }
    }

    static JechoServer classServer;

    static class PerClassCase {
        @RegisterExtension
        static JechoServerExtension server = new JechoServerExtension();

        @Test
        void connects(JechoServer running, Endpoint endpoint) throws IOException {
            classServer = running;
            new Socket(endpoint.host(), endpoint.port()).close();
        }
    }

    @Test
    void aClassesServerIsStoppedAfterTheClass() {
        assertThat(status(run(PerClassCase.class).get(0))).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
        assertThat(classServer.terminationFuture()).isDone();
        Endpoint endpoint = classServer.boundEndpoints().get(0);
        assertThatThrownBy(() -> new Socket(endpoint.host(), endpoint.port()).close()).isInstanceOf(ConnectException.class);
    }

    static class MissingListenerCase {
        @RegisterExtension
        JechoServerExtension server = new JechoServerExtension();

        @Test
        void wantsUdp(@Listener(Endpoint.Kind.UDP) Endpoint udp) {
        }
    }

    @Test
    void askingForAListenerTheServerHasNotIsAClearError() {
        List<Event> finished = run(MissingListenerCase.class);
        assertThat(status(finished.get(0))).isEqualTo(TestExecutionResult.Status.FAILED);
        assertThat(failure(finished.get(0))).hasMessageContaining("the server has no UDP listener");
    }
}
