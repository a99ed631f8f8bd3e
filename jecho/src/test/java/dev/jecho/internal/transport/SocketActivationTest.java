package dev.jecho.internal.transport;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading sd_listen_fds(3)'s environment. */
class SocketActivationTest {

    @Test
    void descriptorsStartAtThreeAndTakeTheirNames() {
        assertThat(SocketActivation.handed(Map.of("LISTEN_PID", "42", "LISTEN_FDS", "3", "LISTEN_FDNAMES", "web:unknown:"), 42))
                .containsExactly(new SocketActivation.Handed(3, "web"), new SocketActivation.Handed(4, null),
                        new SocketActivation.Handed(5, null));
    }

    @Test
    void namesThatDoNotCountTheDescriptorsAreIgnored() {
        assertThat(SocketActivation.handed(Map.of("LISTEN_PID", "7", "LISTEN_FDS", "2", "LISTEN_FDNAMES", "only-one"), 7))
                .containsExactly(new SocketActivation.Handed(3, null), new SocketActivation.Handed(4, null));
    }

    @Test
    void socketsMeantForAnotherProcessOrNotAnnouncedAreNotTaken() {
        assertThat(SocketActivation.handed(Map.of("LISTEN_PID", "41", "LISTEN_FDS", "1"), 42)).isEmpty();
        assertThat(SocketActivation.handed(Map.of("LISTEN_FDS", "1"), 42)).as("no LISTEN_PID").isEmpty();
        assertThat(SocketActivation.handed(Map.of("LISTEN_PID", "42"), 42)).as("no LISTEN_FDS").isEmpty();
        assertThat(SocketActivation.handed(Map.of(), 42)).isEmpty();
    }

    @Test
    void malformedVariablesForThisProcessAreErrors() {
        assertThatThrownBy(() -> SocketActivation.handed(Map.of("LISTEN_PID", "42", "LISTEN_FDS", "two"), 42))
                .hasMessage("LISTEN_FDS='two' is not a count of descriptors");
        assertThatThrownBy(() -> SocketActivation.handed(Map.of("LISTEN_PID", "42", "LISTEN_FDS", "-1"), 42))
                .hasMessage("LISTEN_FDS='-1' is not a count of descriptors");
        assertThatThrownBy(() -> SocketActivation.handed(Map.of("LISTEN_PID", "me", "LISTEN_FDS", "1"), 42))
                .hasMessage("LISTEN_PID='me' is not a process id");
    }
}
