package dev.jecho.server;

import dev.jecho.server.ServerStats.Refusal;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** --max-connections on a listener's own pipeline: the EmbeddedChannel plays the listener, its messages the accepted sockets. */
class AcceptLimiterTest {

    private final ServerStats stats = new ServerStats(new OpenConnections());
    private final AcceptLimiter limiter = new AcceptLimiter(2, stats, new ConnectionLog(false));
    private final EmbeddedChannel listener = new EmbeddedChannel(limiter);

    @Test
    void socketsPastTheCapAreClosedAtOnceAndCountedWhileAcceptedOnesAreUntouched() {
        EmbeddedChannel a = new EmbeddedChannel();
        EmbeddedChannel b = new EmbeddedChannel();
        EmbeddedChannel c = new EmbeddedChannel();
        listener.writeInbound(a, b, c);
        assertThat((Channel) listener.readInbound()).isSameAs(a);
        assertThat((Channel) listener.readInbound()).isSameAs(b);
        assertThat((Object) listener.readInbound()).as("the third never reaches the acceptor").isNull();
        assertThat(c.isOpen()).isFalse();
        assertThat(a.isOpen() && b.isOpen()).isTrue();
        assertThat(stats.refusedConnections(Refusal.MAX_CONNECTIONS)).isEqualTo(1);

        a.close();
        EmbeddedChannel d = new EmbeddedChannel();
        listener.writeInbound(d);
        assertThat((Channel) listener.readInbound()).as("a closed connection frees its place").isSameAs(d);
        b.close();
        d.close();
        assertThat(listener.finish()).isFalse();
    }

    @Test
    void onceStoppingEverySocketIsRefused() {
        limiter.stop();
        EmbeddedChannel a = new EmbeddedChannel();
        listener.writeInbound(a);
        assertThat((Object) listener.readInbound()).isNull();
        assertThat(a.isOpen()).isFalse();
        assertThat(stats.refusedConnections(Refusal.STOPPING)).isEqualTo(1);
        assertThat(listener.finish()).isFalse();
    }

    @Test
    void theCapIsFittedBelowTheOpenFileLimit() {
        assertThat(AcceptLimiter.effectiveMax(10_000, 20_000)).isEqualTo(10_000);
        assertThat(AcceptLimiter.effectiveMax(20_000, 20_000)).isEqualTo(20_000 - AcceptLimiter.RESERVED_FILES);
        assertThat(AcceptLimiter.effectiveMax(10_000, 1024)).isEqualTo(768);
        assertThat(AcceptLimiter.effectiveMax(10_000, -1)).as("limit unknown").isEqualTo(10_000);
        assertThat(AcceptLimiter.effectiveMax(10_000, 100)).isEqualTo(1);
        assertThat(AcceptLimiter.openFileLimit()).as("this machine's ulimit -n").isPositive();
    }
}
