package dev.jecho.internal.server;

import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The registry of open connections, a list threaded through their trackers: current, and safe to walk meanwhile. */
class OpenConnectionsTest {

    private final OpenConnections open = new OpenConnections();
    private final StreamListener listener = TestListeners.stream(new ConnectionLog(false), "tcp", new ServerCounters(open), open, true);

    private ConnectionTracker tracker() {
        return new ConnectionTracker(listener);
    }

    @Test
    void holdsTheConnectionsAddedAndNotRemovedNewestFirst() {
        Channel a = new EmbeddedChannel();
        Channel b = new EmbeddedChannel();
        Channel c = new EmbeddedChannel();
        ConnectionTracker ta = tracker();
        ConnectionTracker tb = tracker();
        ConnectionTracker tc = tracker();
        open.remove(ta); // never added: nothing happens
        open.add(a, ta);
        open.add(b, tb);
        open.add(b, tb); // twice: once
        open.add(c, tc);
        assertThat(open.snapshot()).containsExactly(c, b, a);
        open.remove(tb);
        open.remove(tb);
        assertThat(open.snapshot()).containsExactly(c, a);
        assertThat(open.size()).isEqualTo(2);
        assertThat(open.channels()).containsExactly(c, a);
        open.remove(tc);
        open.remove(ta);
        assertThat(open.snapshot()).isEmpty();
        assertThat(open.size()).isZero();
    }

    @Test
    void aWalkGoesOnPastConnectionsThatCloseUnderIt() {
        List<Channel> channels = new ArrayList<>();
        List<ConnectionTracker> trackers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            channels.add(new EmbeddedChannel());
            trackers.add(tracker());
            open.add(channels.get(i), trackers.get(i));
        }
        List<Channel> seen = new ArrayList<>();
        Iterator<Channel> walk = open.channels().iterator();
        seen.add(walk.next()); // channel 4, the newest
        open.remove(trackers.get(4)); // the one the walk just left
        open.remove(trackers.get(2)); // one it has not reached
        walk.forEachRemaining(seen::add);
        // every connection open throughout, once each; one closed meanwhile may or may not be seen
        assertThat(seen).doesNotHaveDuplicates().startsWith(channels.get(4)).endsWith(channels.get(1), channels.get(0))
                .contains(channels.get(3));

        List<Channel> visited = new ArrayList<>();
        open.forEach((ch, t) -> {
            visited.add(ch);
            open.remove(t); // the sweep closes the connection it is looking at
        });
        assertThat(visited).containsExactly(channels.get(3), channels.get(1), channels.get(0));
        assertThat(open.size()).isZero();
    }

    @Test
    void walksWhileTwoLoopsOpenAndCloseConnectionsSeeEveryConnectionOpenThroughout() throws Exception {
        Channel channel = new EmbeddedChannel();
        List<ConnectionTracker> steady = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            ConnectionTracker t = tracker();
            steady.add(t);
            open.add(channel, t);
        }
        Set<ConnectionTracker> steadySet = new HashSet<>(steady);
        CountDownLatch start = new CountDownLatch(1);
        AtomicReference<Throwable> failed = new AtomicReference<>();
        List<Thread> loops = new ArrayList<>();
        for (int l = 0; l < 2; l++) {
            Thread loop = new Thread(() -> {
                try {
                    start.await();
                    List<ConnectionTracker> mine = new ArrayList<>();
                    for (int i = 0; i < 20_000; i++) {
                        ConnectionTracker t = tracker();
                        open.add(channel, t);
                        mine.add(t);
                        if (mine.size() > 20) {
                            open.remove(mine.remove(i % 2 == 0 ? 0 : mine.size() - 1));
                        }
                    }
                    mine.forEach(open::remove);
                } catch (Throwable e) {
                    failed.compareAndSet(null, e);
                }
            });
            loop.start();
            loops.add(loop);
        }
        start.countDown();
        int walks = 0;
        while (loops.stream().anyMatch(Thread::isAlive) || walks == 0) {
            Set<ConnectionTracker> seen = new HashSet<>();
            open.forEach((ch, t) -> seen.add(t));
            assertThat(seen).as("walk %d", walks).containsAll(steadySet);
            walks++;
        }
        for (Thread loop : loops) {
            loop.join(30_000);
        }
        assertThat(failed.get()).isNull();
        assertThat(open.size()).isEqualTo(steady.size());
        assertThat(open.snapshot()).hasSize(steady.size());
    }
}
