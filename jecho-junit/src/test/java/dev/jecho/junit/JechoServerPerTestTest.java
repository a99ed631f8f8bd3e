package dev.jecho.junit;

import dev.jecho.Endpoint;
import dev.jecho.JechoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A server per test (an instance field): each test its own, stopped after it; @BeforeEach sees the test's. */
class JechoServerPerTestTest {

    @RegisterExtension
    JechoServerExtension server = new JechoServerExtension();

    static final List<JechoServer> SERVERS = new ArrayList<>();
    private Endpoint fromBeforeEach;

    @BeforeEach
    void before(Endpoint endpoint) {
        fromBeforeEach = endpoint;
    }

    @RepeatedTest(3)
    void eachTestHasItsOwnServer(JechoServer running, Endpoint endpoint) {
        assertThat(endpoint).isEqualTo(fromBeforeEach);
        assertThat(SERVERS).allSatisfy(earlier -> assertThat(earlier.terminationFuture()).as("stopped after its test").isDone());
        SERVERS.add(running);
    }

    @AfterAll
    static void threeServersEachStopped() {
        assertThat(SERVERS).hasSize(3).doesNotHaveDuplicates();
        assertThat(SERVERS).allSatisfy(s -> assertThat(s.terminationFuture()).isDone());
    }
}
