package dev.jecho.internal.server;

import dev.jecho.ServerConfig;
import dev.jecho.ServerConfigAccess;
import dev.jecho.ServerStats;
import dev.jecho.ServerStats.Timeout;
import dev.jecho.Service;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Idle and slow-client timeouts from the one sweep per event loop, with a frozen clock. */
class ConnectionSweeperTest {

    private final MockTicker ticker = Ticker.newMockTicker();
    private final OpenConnections open = new OpenConnections();
    private final ServerCounters stats = new ServerCounters(open);
    private EmbeddedChannel ch;
    private ConnectionSweeper sweeper;

    private void start(ServerConfig config) {
        ch = EmbeddedChannel.builder().ticker(ticker).handlers(
                new ConnectionTracker(TestListeners.stream(new ConnectionLog(false), "tcp", stats, open, true)),
                BackpressureHandler.INSTANCE,
                new ByteServiceHandler(Service.ECHO)).build();
        sweeper = new ConnectionSweeper(ch.eventLoop(), open, stats, ServerConfigAccess.timeouts(config));
    }

    private void at(long seconds) {
        ticker.advance(seconds * 1_000_000_000L - ticker.nanoTime(), TimeUnit.NANOSECONDS);
        sweeper.sweep(ticker.nanoTime());
    }

    @AfterEach
    void finish() {
        if (ch != null) {
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void aSilentConnectionIsClosedAfterTheIdleTimeoutAndActivityRestartsIt() {
        start(ServerConfig.builder().idleTimeout(Duration.ofSeconds(10)).slowClientTimeout(Duration.ZERO).build());
        at(0);
        at(6);
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}));
        ((ByteBuf) ch.readOutbound()).release();
        at(7);                      // the sweep sees the message: quiet from 7 s on
        at(16);
        assertThat(ch.isOpen()).as("9 s quiet").isTrue();
        at(17);
        assertThat(ch.isOpen()).as("10 s quiet").isFalse();
        assertThat(stats.timedOutConnections(Timeout.IDLE)).isEqualTo(1);
    }

    @Test
    void aConnectionWithRepliesStillToSendIsNotIdle() {
        start(ServerConfig.builder().idleTimeout(Duration.ofSeconds(10)).slowClientTimeout(Duration.ZERO).build());
        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(1 << 20, 2 << 20));
        ch.write(Unpooled.wrappedBuffer(new byte[100])); // written, not yet flushed to the client
        at(0);
        at(30);
        assertThat(ch.isOpen()).isTrue();
        ch.flush();
        ((ByteBuf) ch.readOutbound()).release();
        at(31);
        at(41);
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void aClientThatDoesNotReadIsClosedAfterTheSlowClientTimeoutUnlessItCatchesUp() {
        start(ServerConfig.builder().idleTimeout(Duration.ZERO).slowClientTimeout(Duration.ofSeconds(30)).build());
        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        ch.write(Unpooled.wrappedBuffer(new byte[64]));
        assertThat(ch.isWritable()).isFalse();
        at(0);
        at(20);
        ch.flush();                 // the client read its replies: writable again
        ((ByteBuf) ch.readOutbound()).release();
        assertThat(ch.isWritable()).isTrue();
        ch.write(Unpooled.wrappedBuffer(new byte[64]));
        at(25);                     // unwritable again, seen from 25 s
        at(54);
        assertThat(ch.isOpen()).as("29 s unwritable").isTrue();
        at(55);
        assertThat(ch.isOpen()).as("30 s unwritable").isFalse();
        assertThat(stats.timedOutConnections(Timeout.SLOW_CLIENT)).isEqualTo(1);
    }

    @Test
    void timeoutsOfZeroNeverFire() {
        start(ServerConfig.builder().idleTimeout(Duration.ZERO).slowClientTimeout(Duration.ZERO).build());
        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        ch.write(Unpooled.wrappedBuffer(new byte[64]));
        at(0);
        at(100_000);
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void theSweepIntervalIsAQuarterOfTheShortestTimeoutWithinBounds() {
        assertThat(ConnectionSweeper.interval(timeouts(ServerConfig.builder()))).isEqualTo(Duration.ofSeconds(1));
        assertThat(ConnectionSweeper.interval(timeouts(ServerConfig.builder().slowClientTimeout(Duration.ofMillis(400)))))
                .isEqualTo(Duration.ofMillis(100));
        assertThat(ConnectionSweeper.interval(timeouts(ServerConfig.builder().idleTimeout(Duration.ofMillis(1)))))
                .isEqualTo(Duration.ofMillis(10));
        assertThat(ConnectionSweeper.interval(timeouts(ServerConfig.builder().handshakeTimeout(Duration.ofMillis(100)))))
                .as("the handshake deadline is the handshake's own timer, not swept").isEqualTo(Duration.ofSeconds(1));
    }

    private static Timeouts timeouts(ServerConfig.Builder config) {
        return ServerConfigAccess.timeouts(config.build());
    }
}
