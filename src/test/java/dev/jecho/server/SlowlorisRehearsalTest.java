package dev.jecho.server;

import dev.jecho.protocol.PipelineNames;
import dev.jecho.server.ServerStats.Refusal;
import dev.jecho.service.Service;
import dev.jecho.testing.StreamClient;
import dev.jecho.transport.Endpoint;
import dev.jecho.transport.NettyTransport;
import dev.jecho.transport.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.Future;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The slowloris scenario of issue 4 on real sockets, rehearsed before the authenticated handshake exists:
 * the server's own admission stage, limits, penalty table and sweeper, wired as the stream initializer will
 * wire them once a secret is configured, with {@link TestHandshake} standing in for the real handshake
 * (first line {@code AUTH ok}). 2,000 connection attempts from four addresses each send one byte a second
 * and never finish the handshake: the per-source cap refuses the excess at once, the held ones are closed
 * by the absolute deadline however many bytes they trickle, 50 clients from other addresses authenticate
 * and are served meanwhile, and once the deadline and the penalty have passed, a client from each of the
 * four addresses authenticates. When the authentication branch is merged this becomes the real test,
 * through {@code JechoServer} with a secret.
 */
class SlowlorisRehearsalTest {

    static final int ATTEMPTS = 2000;
    static final String[] ATTACKERS = {"127.0.0.10", "127.0.0.11", "127.0.0.12", "127.0.0.13"};
    static final int PER_SOURCE = 16;
    static final Duration DEADLINE = Duration.ofSeconds(3);
    static final int GOOD = 50;

    /** One attacking connection, watched by the selector thread. */
    static final class Attempt {
        final SocketChannel ch;
        final long connectedAt;
        volatile long closedAt;
        volatile int trickled;

        Attempt(SocketChannel ch, long connectedAt) {
            this.ch = ch;
            this.connectedAt = connectedAt;
        }
    }

    @Test
    void slowHandshakesAreCappedPerSourceClosedByTheDeadlineAndEveryoneElseIsServed() throws Exception {
        ServerConfig config = ServerConfig.builder().maxStartupsPerIp(PER_SOURCE).handshakeTimeout(DEADLINE)
                .idleTimeout(Duration.ZERO).slowClientTimeout(Duration.ZERO)
                .penalties(new PenaltyPolicy(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1),
                        Duration.ofSeconds(1), Duration.ofSeconds(2), 1000))
                .build();
        OpenConnections open = new OpenConnections();
        ServerStats stats = new ServerStats(open);
        ConnectionLog log = new ConnectionLog(false);
        SourceLimits limits = new SourceLimits(config, new Random(5), log);
        NettyTransport transport = NettyTransport.select(Transport.AUTO);
        EventLoopGroup group = transport.newGroup(2, "slowloris-server");
        ExecutorService good = Executors.newFixedThreadPool(GOOD);
        try {
            Channel listener = new ServerBootstrap().group(group)
                    .channel(transport.serverChannel(Endpoint.Kind.TCP))
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .handler(new AcceptLimiter(10_000, stats, log))
                    .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ChannelPipeline p = ch.pipeline();
                            p.addLast(PipelineNames.ADMISSION, new AdmissionHandler(limits, stats, true));
                            p.addLast(PipelineNames.TRACKER, new ConnectionTracker(TestListeners.stream(log, "tcp", stats, open, true)));
                            p.addLast("handshake", new TestHandshake());
                            p.addLast(PipelineNames.BACKPRESSURE, BackpressureHandler.INSTANCE);
                            p.addLast(PipelineNames.SERVICE, new ByteServiceHandler(Service.UPPER));
                            p.addLast(PipelineNames.END, ConnectionEndHandler.INSTANCE);
                        }
                    })
                    .bind("127.0.0.1", 0).sync().channel();
            Endpoint endpoint = Endpoint.tcp("127.0.0.1", ((InetSocketAddress) listener.localAddress()).getPort());
            ConnectionSweeper sweeper = new ConnectionSweeper(group.next(), open, stats, config, limits);
            Future<?> sweeping = group.next().scheduleAtFixedRate(sweeper, 100, 100, TimeUnit.MILLISECONDS);

            List<Attempt> attempts = new ArrayList<>();
            ConcurrentLinkedQueue<Attempt> toWatch = new ConcurrentLinkedQueue<>();
            Selector selector = Selector.open();
            Thread watcher = new Thread(() -> watch(selector, toWatch, attempts), "slowloris-watcher");
            watcher.start();

            long floodStart = System.nanoTime();
            List<java.util.concurrent.Future<Boolean>> goodResults = new ArrayList<>();
            for (int i = 0; i < ATTEMPTS; i++) {
                SocketChannel ch = SocketChannel.open();
                ch.bind(new InetSocketAddress(ATTACKERS[i % ATTACKERS.length], 0));
                ch.connect(new InetSocketAddress(endpoint.host(), endpoint.port()));
                Attempt a = new Attempt(ch, System.nanoTime());
                ch.write(ByteBuffer.wrap(new byte[] {'A'}));
                ch.configureBlocking(false);
                synchronized (attempts) {
                    attempts.add(a);
                }
                toWatch.add(a);
                selector.wakeup();
                if (i % (ATTEMPTS / GOOD) == 0) { // good clients from other addresses, during the flood
                    String from = "127.0.1." + (1 + goodResults.size());
                    goodResults.add(good.submit(() -> authenticatesAndIsServed(endpoint, from)));
                }
            }
            long floodTook = System.nanoTime() - floodStart;
            for (java.util.concurrent.Future<Boolean> r : goodResults) {
                assertThat(r.get(30, TimeUnit.SECONDS)).isTrue();
            }

            // one byte a second on every connection still open, until the deadline has closed them all
            long trickleUntil = System.nanoTime() + DEADLINE.toNanos() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < trickleUntil && attempts.stream().anyMatch(a -> a.closedAt == 0)) {
                for (Attempt a : List.copyOf(attempts)) {
                    if (a.closedAt == 0) {
                        try {
                            a.ch.write(ByteBuffer.wrap(new byte[] {'A'}));
                            a.trickled++;
                        } catch (IOException closed) {
                            // the watcher records when
                        }
                    }
                }
                Thread.sleep(1000);
            }
            long allClosed = System.nanoTime();
            assertThat(attempts).allMatch(a -> a.closedAt != 0);

            List<Attempt> held = attempts.stream().filter(a -> a.closedAt - a.connectedAt >= DEADLINE.toNanos()).toList();
            List<Attempt> refused = attempts.stream().filter(a -> a.closedAt - a.connectedAt < DEADLINE.toNanos()).toList();
            long slowestRefusal = refused.stream().mapToLong(a -> a.closedAt - a.connectedAt).max().orElse(0);
            long earliestDeadline = held.stream().mapToLong(a -> a.closedAt - a.connectedAt).min().orElse(0);
            long latestDeadline = held.stream().mapToLong(a -> a.closedAt - a.connectedAt).max().orElse(0);
            assertThat(held).as("held: %d per source", PER_SOURCE).hasSize(PER_SOURCE * ATTACKERS.length);
            assertThat(refused).hasSize(ATTEMPTS - PER_SOURCE * ATTACKERS.length);
            assertThat(slowestRefusal).as("ns from connect to refusal, slowest: at once, not at the deadline").isLessThan(DEADLINE.toNanos() / 2);
            assertThat(latestDeadline).as("ns from connect to the deadline's close, latest")
                    .isLessThan(DEADLINE.toNanos() + TimeUnit.MILLISECONDS.toNanos(1500));
            assertThat(held).as("bytes trickled do not extend the deadline").allMatch(a -> a.trickled >= 2);
            assertThat(stats.refusedConnections(Refusal.STARTUPS_PER_IP) + stats.refusedConnections(Refusal.PENALTY))
                    .isEqualTo(refused.size());
            assertThat(stats.timedOutConnections(ServerStats.Timeout.HANDSHAKE)).isEqualTo(held.size());

            // once the penalty has run out, each attacking address can authenticate like anyone else
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            for (String attacker : ATTACKERS) {
                while (limits.isPenalised(java.net.InetAddress.getByName(attacker), System.nanoTime())) {
                    assertThat(System.nanoTime()).as("penalty of %s runs out", attacker).isLessThan(deadline);
                    Thread.sleep(50);
                }
                assertThat(authenticatesAndIsServed(endpoint, attacker)).as("%s after the penalty", attacker).isTrue();
            }
            long penaltyOver = System.nanoTime();
            System.out.printf("slowloris rehearsal: %d attempts from %d addresses in %d ms; %d held, %d refused"
                            + " (slowest refusal %d ms); held ones closed %d-%d ms after connecting (deadline %d ms),"
                            + " after trickling 2-%d bytes; %d good clients served meanwhile; attackers back %d ms after the last close%n",
                    ATTEMPTS, ATTACKERS.length, floodTook / 1_000_000, held.size(), refused.size(), slowestRefusal / 1_000_000,
                    earliestDeadline / 1_000_000, latestDeadline / 1_000_000, DEADLINE.toMillis(),
                    held.stream().mapToInt(a -> a.trickled).max().orElse(0), GOOD, (penaltyOver - allClosed) / 1_000_000);

            sweeping.cancel(false);
            watcher.interrupt();
            watcher.join(5000);
            selector.close();
            listener.close().sync();
        } finally {
            good.shutdownNow();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
        assertThat(limits.preAuthConnections()).isZero();
        assertThat(open.size()).isZero();
    }

    private static boolean authenticatesAndIsServed(Endpoint endpoint, String from) throws IOException {
        try (StreamClient c = StreamClient.connectFrom(endpoint, from)) {
            c.channel().socket().setSoTimeout(10_000);
            c.write("AUTH ok\n".getBytes(StandardCharsets.US_ASCII));
            return new String(c.exchange("hello from ".concat(from).getBytes(StandardCharsets.US_ASCII)), StandardCharsets.US_ASCII)
                    .equals("HELLO FROM " + from);
        }
    }

    /** Records when the server closes each attempt. */
    private static void watch(Selector selector, ConcurrentLinkedQueue<Attempt> toWatch, List<Attempt> attempts) {
        ByteBuffer buf = ByteBuffer.allocate(64);
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Attempt a;
                while ((a = toWatch.poll()) != null) {
                    a.ch.register(selector, SelectionKey.OP_READ, a);
                }
                selector.select(50);
                for (SelectionKey key : selector.selectedKeys()) {
                    Attempt attempt = (Attempt) key.attachment();
                    int n;
                    try {
                        buf.clear();
                        n = attempt.ch.read(buf);
                    } catch (IOException reset) {
                        n = -1;
                    }
                    if (n < 0) {
                        attempt.closedAt = System.nanoTime();
                        key.cancel();
                        attempt.ch.close();
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (java.nio.channels.ClosedSelectorException done) {
            // the test is over
        }
    }
}
