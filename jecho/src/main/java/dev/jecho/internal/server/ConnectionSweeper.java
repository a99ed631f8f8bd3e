package dev.jecho.internal.server;

import dev.jecho.ServerStats.Timeout;
import dev.jecho.internal.transport.TcpInfo;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The timeouts of every stream connection, without a timer or a handler per connection: one task per event
 * loop walks the open connections of that loop a few times per shortest timeout and closes
 * <ul>
 *   <li>a connection that has been idle for {@code --idle-timeout}: nothing read, nothing left to send;</li>
 *   <li>a connection that has stayed unwritable for {@code --slow-client-timeout}: its client does not read
 *       its replies (backpressure has already stopped reading from it);</li>
 *   <li>on io_uring, a connection whose peer reset it unnoticed by the transport ({@link TcpInfo#resetUnnoticed}):
 *       the kernel has closed it, Netty has not.</li>
 * </ul>
 * A timeout fires between its duration and its duration plus one sweep interval after the fact. The
 * handshake deadline is not swept: the handshake handler holds the one timer of a connection that has not
 * authenticated yet, absolute from accept, and closes it on time.
 */
public final class ConnectionSweeper implements Runnable {

    private final EventExecutor loop;
    private final OpenConnections open;
    private final ServerCounters stats;
    private final long idleNanos;
    private final long slowNanos;
    private final String idleReason;
    private final String slowReason;

    ConnectionSweeper(EventExecutor loop, OpenConnections open, ServerCounters stats, Timeouts timeouts) {
        this.loop = loop;
        this.open = open;
        this.stats = stats;
        this.idleNanos = timeouts.idle().toNanos();
        this.slowNanos = timeouts.slowClient().toNanos();
        this.idleReason = "idle for " + text(timeouts.idle());
        this.slowReason = "slow client: replies unsent for " + text(timeouts.slowClient());
    }

    /**
     * One sweep per event loop of {@code group}, when the idle or the slow-client timeout is in force.
     *
     * @return what cancels them
     */
    public static Runnable startOn(EventLoopGroup group, OpenConnections open, ServerCounters stats, Timeouts timeouts) {
        if (timeouts.idle().isZero() && timeouts.slowClient().isZero()) {
            return () -> { };
        }
        long every = interval(timeouts).toNanos();
        List<Future<?>> sweeps = new ArrayList<>();
        for (EventExecutor loop : group) {
            ConnectionSweeper sweeper = new ConnectionSweeper(loop, open, stats, timeouts);
            sweeps.add(loop.scheduleAtFixedRate(sweeper, every, every, TimeUnit.NANOSECONDS));
        }
        return () -> sweeps.forEach(f -> f.cancel(false));
    }

    /**
     * How often to sweep: a quarter of the shortest timeout in force, between 10 ms and one second.
     */
    static Duration interval(Timeouts timeouts) {
        long shortest = Long.MAX_VALUE;
        for (Duration d : new Duration[] {timeouts.idle(), timeouts.slowClient()}) {
            if (!d.isZero()) {
                shortest = Math.min(shortest, d.toNanos());
            }
        }
        long quarter = shortest == Long.MAX_VALUE ? Long.MAX_VALUE : shortest / 4;
        return Duration.ofNanos(Math.max(Duration.ofMillis(10).toNanos(), Math.min(quarter, Duration.ofSeconds(1).toNanos())));
    }

    @Override
    public void run() {
        sweep(loop.ticker().nanoTime());
    }

    void sweep(long now) {
        if (idleNanos > 0 || slowNanos > 0) {
            open.forEach((ch, tracker) -> {
                if (ch.eventLoop() == loop) {
                    check(ch, tracker, now);
                }
            });
        }
    }

    private void check(Channel ch, ConnectionTracker t, long now) {
        if (!ch.isActive()) {
            return;
        }
        if (TcpInfo.resetUnnoticed(ch)) {
            CloseReason.set(ch, "peer reset");
            ch.close();
            return;
        }
        if (slowNanos > 0) {
            if (ch.isWritable()) {
                t.unwritableSince = ConnectionTracker.NEVER;
            } else if (t.unwritableSince == ConnectionTracker.NEVER) {
                t.unwritableSince = now;
            } else if (now - t.unwritableSince >= slowNanos) {
                close(ch, Timeout.SLOW_CLIENT, slowReason);
                return;
            }
        }
        if (idleNanos > 0) {
            if ((int) t.messagesIn != t.seenMessages || t.quietSince == ConnectionTracker.NEVER || ServerCounters.pendingBytes(ch) > 0) {
                t.seenMessages = (int) t.messagesIn;
                t.quietSince = now;
            } else if (now - t.quietSince >= idleNanos) {
                close(ch, Timeout.IDLE, idleReason);
            }
        }
    }

    private void close(Channel ch, Timeout why, String reason) {
        if (ch.isOpen()) {
            stats.timedOut(why);
            CloseReason.set(ch, reason);
            ch.close();
        }
    }

    static String text(Duration d) {
        return ConnectionLog.formatDuration(d.toNanos());
    }
}
