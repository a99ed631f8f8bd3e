package dev.jecho.internal.server;

import dev.jecho.Service;
import dev.jecho.internal.protocol.ConnectionEvents;
import dev.jecho.testing.LogCapture;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Why a connection closed is a channel attribute, set where the close is decided and written by the tracker's
 * close line: the first reason given is the one logged, whatever happens while the close completes.
 */
class CloseReasonTest {

    private static EmbeddedChannel connection() {
        OpenConnections open = new OpenConnections();
        return new EmbeddedChannel(
                new ConnectionTracker(TestListeners.stream(new ConnectionLog(true), "tcp", new ServerCounters(open), open, true)),
                new ByteServiceHandler(Service.ECHO), ConnectionEndHandler.INSTANCE);
    }

    private static String closeLine(LogCapture log) {
        return log.lines().stream().filter(l -> l.startsWith("tcp ") && (l.contains(" closed after ") || l.contains(" refused: ")))
                .findFirst().orElseThrow();
    }

    @Test
    void theFirstReasonGivenIsTheOneTheCloseLineGives() {
        EmbeddedChannel ch = connection();
        try (LogCapture log = LogCapture.start()) {
            assertThat(CloseReason.set(ch, "server stopping")).isTrue();
            assertThat(CloseReason.set(ch, "peer reset")).as("a later reason does not replace it").isFalse();
            ch.pipeline().fireExceptionCaught(new java.io.IOException("Connection reset by peer"));
            ch.close();
            assertThat(closeLine(log)).contains("(server stopping, ");
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void aRefusalAfterTheCloseWasDecidedIsNotLoggedAsARefusal() {
        EmbeddedChannel ch = connection();
        try (LogCapture log = LogCapture.start()) {
            CloseReason.set(ch, "idle for 5 min");
            ch.pipeline().fireUserEventTriggered(new ConnectionEvents.Refused("partial_messages", "no room"));
            ch.close();
            assertThat(closeLine(log)).contains(" closed after ").contains("(idle for 5 min, ");
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void aRefusalDecidedFirstIsLoggedAsOneWithItsDetail() {
        EmbeddedChannel ch = connection();
        try (LogCapture log = LogCapture.start()) {
            ch.pipeline().fireUserEventTriggered(new ConnectionEvents.Refused("penalty", "127.0.0.0/24 is penalised"));
            CloseReason.set(ch, "server stopping");
            ch.close();
            assertThat(closeLine(log)).endsWith(" refused: 127.0.0.0/24 is penalised");
        } finally {
            ch.finishAndReleaseAll();
        }
    }
}
