package dev.jecho.internal.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jecho.BenchConfig;
import dev.jecho.BenchException;
import dev.jecho.Endpoint;
import dev.jecho.Transport;
import dev.jecho.internal.protocol.datagram.TaggedDatagram;
import dev.jecho.internal.transport.NettyTransport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import org.HdrHistogram.Histogram;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Runs one workload against one endpoint and returns its {@link RunResult}. The phases, each bounded in
 * time: <em>setup</em> (connections opened at a paced rate, until all are up or failed, or the connect
 * timeout passed), <em>warm-up</em> (load, not measured), <em>measurement</em> (one interval histogram a
 * second: a live line, an hlog entry, a point of the throughput curve), then the <em>end</em> (load
 * stops; UDP waits up to its timeout for replies still on their way; {@code hold} checks every
 * connection). The run takes at most setup + warm-up + duration + about a second or the timeout.
 */
public final class LoadRun {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    /** The last interval is read this long after the window's end, so replies timed just before it are in. */
    private static final long STRAGGLERS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long MAX_DRAIN = TimeUnit.SECONDS.toNanos(2);
    /** connect mode to loopback: source addresses to spread the churn over. */
    private static final int LOOPBACK_SOURCES_FOR_CHURN = 4;
    /** hold mode to loopback: connections per source address. */
    private static final int CONNECTIONS_PER_SOURCE = 10_000;

    private final BenchConfig config;
    private final Consumer<String> live;
    private final IntervalLog hlog;
    private final Cancellation cancel;

    public LoadRun(BenchConfig config, Consumer<String> live, IntervalLog hlog, Cancellation cancel) {
        this.config = config;
        this.live = live;
        this.hlog = hlog;
        this.cancel = cancel;
    }

    public RunResult run() throws BenchException {
        NettyTransport transport = transportFor(config);
        SocketAddress address = resolve(transport);
        MultiThreadIoEventLoopGroup group = transport.newGroup(config.effectiveThreads(), "jecho-bench");
        try {
            RunContext run = new RunContext(config, new Recorders(group, config.openLoop()));
            cancel.onCancel(run.window::stop);
            Bootstrap bootstrap = bootstrap(transport, group);
            if (hlog != null) {
                hlog.runStarts(JsonReport.configNode(config, transport.kind().cliName()));
            }
            RunResult result = config.mode() == BenchConfig.Mode.HOLD
                    ? hold(run, bootstrap, address, transport)
                    : load(run, bootstrap, address, group, transport);
            if (hlog != null) {
                hlog.runEnds(JsonReport.resultNode(result));
            }
            return result;
        } finally {
            cancel.onCancel(null);
            group.shutdownGracefully(0, 500, TimeUnit.MILLISECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    private SocketAddress resolve(NettyTransport transport) throws BenchException {
        Endpoint endpoint = config.endpoint();
        SocketAddress address;
        try {
            address = transport.socketAddress(endpoint);
        } catch (IllegalArgumentException e) {
            throw new BenchException(BenchException.Reason.UNREACHABLE, "cannot use " + endpoint + ": " + e.getMessage());
        }
        if (address instanceof InetSocketAddress inet && inet.isUnresolved()) {
            throw new BenchException(BenchException.Reason.UNREACHABLE,
                    "unknown host '" + endpoint.host() + "' (check the name, or use an IP address)");
        }
        return address;
    }

    private Bootstrap bootstrap(NettyTransport transport, MultiThreadIoEventLoopGroup group) {
        Endpoint.Kind kind = config.endpoint().kind();
        // The pooled allocator: Netty 4.2's default (adaptive) allocates a JDK ByteBuffer view per buffer
        // that goes to a socket, garbage whose collection pauses would show in the latencies measured.
        Bootstrap b = new Bootstrap().group(group).handler(NoHandler.INSTANCE)
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT);
        if (kind == Endpoint.Kind.UDP) {
            int reply = config.sizeMax() + (config.keys() != null ? TaggedDatagram.REPLY_OVERHEAD : 0);
            int receive = Math.max(2048, reply + 1); // a longer reply shows as longer, not cut
            return b.channel(transport.datagramChannel())
                    .option(ChannelOption.RCVBUF_ALLOCATOR, NettyTransport.datagramReceiveAllocator(receive));
        }
        b.channel(transport.streamChannel(kind))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()));
        if (kind == Endpoint.Kind.TCP) {
            b.option(ChannelOption.TCP_NODELAY, true);
            if (transport.kind() == Transport.EPOLL) {
                // with a source address: choose the port at connect(), by the 4-tuple, not at bind()
                b.option(io.netty.channel.epoll.EpollChannelOption.IP_BIND_ADDRESS_NO_PORT, true);
            }
        }
        if (config.mode() == BenchConfig.Mode.BULK || config.mode() == BenchConfig.Mode.UPLOAD) {
            int chunk = config.sizeMax();
            b.option(ChannelOption.WRITE_BUFFER_WATER_MARK,
                    new WriteBufferWaterMark(Math.max(32 * 1024, chunk), Math.max(64 * 1024, 2 * chunk)));
        }
        return b;
    }

    /** rr, bulk and connect, over streams and datagrams. */
    private RunResult load(RunContext run, Bootstrap bootstrap, SocketAddress address,
                           MultiThreadIoEventLoopGroup group, NettyTransport transport) throws BenchException {
        long t0 = System.nanoTime();
        long wall0 = System.currentTimeMillis();
        int n = config.connections();
        boolean udp = config.endpoint().kind() == Endpoint.Kind.UDP;
        boolean connectMode = config.mode() == BenchConfig.Mode.CONNECT;
        if (connectMode) {
            for (int i = 0; i < n; i++) {
                EventLoop loop = group.next();
                Connector perLoop = new Connector(bootstrap.clone(loop), address, config.maxConnecting(),
                        sourceAddresses(address, LOOPBACK_SOURCES_FOR_CHURN));
                new ConnectSlot(i, run, perLoop, loop).start();
            }
        } else {
            Connector connector = new Connector(bootstrap, address, config.maxConnecting());
            for (int i = 0; i < n; i++) {
                if (udp) {
                    connector.connect(new DatagramFlow(i, run));
                } else {
                    ChannelHandlerFactory handlers = switch (config.mode()) {
                        case BULK -> slot -> new BulkStream(slot, run);
                        case UPLOAD -> slot -> new UploadStream(slot, run);
                        case DOWNLOAD -> slot -> new DownloadStream(slot, run);
                        default -> slot -> new RequestLoop(slot, run);
                    };
                    new StreamSlot(i, run, connector, group, handlers::create).start();
                }
            }
            awaitSetup(run, t0);
        }
        long setupEnd = System.nanoTime();
        double setupSeconds = (setupEnd - t0) / 1e9;

        long start = setupEnd + config.warmup().toNanos();
        long end = start + config.duration().toNanos();
        run.window.open(start, end);
        long wallStart = wall0 + (start - t0) / 1_000_000;

        // warm-up: load, live lines, nothing measured
        long previousCompleted = run.stats.completed.sum();
        long previousTransferred = run.stats.transferred.sum();
        long tick = setupEnd;
        while (tick + SECOND <= start && !run.window.stopped()) {
            tick += SECOND;
            sleepUntil(tick, run);
            long c = run.stats.completed.sum();
            long b = run.stats.transferred.sum();
            live(String.format("%-6s warm-up  %s", config.label(), rateText(c - previousCompleted, b - previousTransferred, 1.0)));
            previousCompleted = c;
            previousTransferred = b;
            if (connectMode) {
                checkReachable(run);
            }
        }
        sleepUntil(start, run);

        Histogram uncorrected = Recorders.newHistogram();
        Histogram corrected = config.openLoop() ? Recorders.newHistogram() : null;
        List<RunResult.IntervalPoint> intervals = new ArrayList<>();
        boolean oneWay = config.mode().oneWay(); // no latencies: chunks accepted, reads made are counted instead
        long previousBytes = run.stats.bytes.sum();
        long previousCounted = run.stats.counted.sum();
        long intervalStart = start;
        int second = 0;
        while (intervalStart < end) {
            long intervalEnd = Math.min(intervalStart + SECOND, end);
            boolean last = intervalEnd == end;
            sleepUntil(last ? end + STRAGGLERS : intervalEnd, run);
            boolean cancelled = run.window.stopped();
            if (cancelled) {
                intervalEnd = Math.min(intervalEnd, System.nanoTime());
                end = intervalEnd;
            }
            Recorders.Sample sample = run.recorders.sample();
            uncorrected.add(sample.uncorrected());
            if (corrected != null) {
                corrected.add(sample.corrected());
            }
            long bytes = run.stats.bytes.sum();
            double length = (intervalEnd - intervalStart) / 1e9;
            long counted = run.stats.counted.sum();
            long requests = oneWay ? counted - previousCounted : sample.uncorrected().getTotalCount();
            previousCounted = counted;
            intervals.add(new RunResult.IntervalPoint((intervalEnd - start) / 1e9, length, requests, bytes - previousBytes));
            if (hlog != null) {
                hlog.interval(config.label(), sample.uncorrected(), sample.corrected(),
                        wallStart + (intervalStart - start) / 1_000_000, wallStart + (intervalEnd - start) / 1_000_000);
            }
            second++;
            live(liveLine(second, sample, requests, bytes - previousBytes, length, run));
            previousBytes = bytes;
            intervalStart = intervalEnd;
            if (second == 1 && connectMode) {
                checkReachable(run);
            }
            if (cancelled) {
                break;
            }
        }
        run.window.stop();
        if (udp) {
            drainDatagrams(run);
        }
        if (connectMode) {
            checkReachable(run);
        }
        RunResult.Datagrams datagrams = udp ? datagrams(run, start, intervals) : null;
        // The bytes as of the last sample, as the latencies are: a reply whose event loop runs after that sample
        // (a straggler on a loaded machine) is in neither, where reading the sum now would count its bytes only.
        long bytes = oneWay ? run.stats.bytes.sum() : previousBytes;
        return new RunResult(config.label(), config.endpoint().toString(), config.mode().cliName(), description(run),
                ranConfig(run, transport), wallStart, (end - start) / 1e9,
                oneWay ? run.stats.counted.sum() : uncorrected.getTotalCount(), bytes, uncorrected,
                corrected, errors(run), connections(run, setupSeconds), datagrams, null, intervals);
    }

    @FunctionalInterface
    private interface ChannelHandlerFactory {
        ChannelHandler create(StreamSlot slot);
    }

    /**
     * Waits until every connection is up or failed, at most the connect timeout (twice that with TLS or a
     * handshake: each may take it after the connect did); none up is an error.
     */
    private void awaitSetup(RunContext run, long t0) throws BenchException {
        long deadline = t0 + config.connectTimeout().toNanos() * (config.hasSessionSetup() ? 2 : 1);
        long nextLine = t0 + SECOND;
        int n = config.connections();
        while (run.stats.established.sum() + run.stats.failedFirst.sum() < n && !run.window.stopped()) {
            long now = System.nanoTime();
            if (now >= deadline) {
                break;
            }
            if (now >= nextLine) {
                nextLine += SECOND;
                live(String.format("%-6s connecting: %d of %d open, %d failed", config.label(),
                        run.stats.established.sum(), n, run.stats.failedFirst.sum()));
            }
            LockSupport.parkNanos(Math.min(deadline - now, TimeUnit.MILLISECONDS.toNanos(2)));
        }
        if (run.stats.established.sum() == 0) {
            run.window.stop();
            throw unreachable(run);
        }
    }

    /** In connect mode: nothing connected yet, and attempts fail. */
    private void checkReachable(RunContext run) throws BenchException {
        if (run.stats.opened.sum() == 0 && run.firstConnectFailure.get() != null) {
            run.window.stop();
            throw unreachable(run);
        }
    }

    private BenchException unreachable(RunContext run) {
        Throwable cause = run.firstConnectFailure.get();
        Endpoint endpoint = config.endpoint();
        if (cause == null) {
            return new BenchException(BenchException.Reason.UNREACHABLE, "cannot connect to " + endpoint
                    + ": no connection was up within " + Units.duration(config.connectTimeout()) + " (raise --connect-timeout?)");
        }
        return ConnectFailures.connectFailed(endpoint, cause);
    }

    /** UDP: waits, at most the timeout (and 2 s), for replies to datagrams sent before the end. */
    private void drainDatagrams(RunContext run) {
        long deadline = System.nanoTime() + Math.min(run.timeoutNanos, MAX_DRAIN);
        while (run.stats.datagramsAnswered.sum() < run.stats.datagramsSent.sum() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }

    private RunResult.Datagrams datagrams(RunContext run, long windowStart, List<RunResult.IntervalPoint> intervals) {
        RunStats stats = run.stats;
        long sent = stats.datagramsSent.sum();
        long answered = stats.datagramsAnswered.sum();
        long late = stats.late.sum();
        long onset = stats.lastLossOnset.get();
        java.net.InetAddress source = run.datagramSource.get();
        RunResult.RateLimit rateLimit = onset == Long.MIN_VALUE ? null : RateLimitInference.infer(sent, answered, late,
                stats.answeredBeforeLoss.sum(), (onset - stats.firstSendAt.get()) / 1e9, (onset - windowStart) / 1e9,
                intervals, source == null ? null : source.getHostAddress());
        return new RunResult.Datagrams(sent, answered, stats.duplicates.sum(), stats.reordered.sum(), late,
                DatagramFlow.tagged(run), rateLimit);
    }

    /** hold: open every connection, keep them for the duration, then one exchange on each. */
    private RunResult hold(RunContext run, Bootstrap bootstrap, SocketAddress address, NettyTransport transport)
            throws BenchException {
        long t0 = System.nanoTime();
        long wall0 = System.currentTimeMillis();
        int n = config.connections();
        CountDownLatch settled = new CountDownLatch(n);
        CountDownLatch probed = new CountDownLatch(n);
        Connector connector = new Connector(bootstrap, address, config.maxConnecting(),
                sourceAddresses(address, (n + CONNECTIONS_PER_SOURCE - 1) / CONNECTIONS_PER_SOURCE));
        List<HoldSlot> slots = new ArrayList<>(n);
        run.window.open(t0, Long.MAX_VALUE);
        for (int i = 0; i < n; i++) {
            HoldSlot slot = new HoldSlot(run, settled, probed);
            slots.add(slot);
            connector.connect(slot);
        }
        long deadline = t0 + config.connectTimeout().toNanos() + run.timeoutNanos;
        long nextLine = t0 + SECOND;
        while (settled.getCount() > 0 && System.nanoTime() < deadline && !run.window.stopped()) {
            awaitQuietly(settled, Math.min(deadline, nextLine) - System.nanoTime());
            if (System.nanoTime() >= nextLine) {
                nextLine += SECOND;
                live(String.format("%-6s opening: %d of %d open, %d failed", config.label(),
                        run.stats.opened.sum(), n, run.stats.failedFirst.sum()));
            }
        }
        double setupSeconds = (System.nanoTime() - t0) / 1e9;
        if (run.stats.established.sum() == 0) {
            run.window.stop();
            throw unreachable(run);
        }
        long holdStart = System.nanoTime();
        long holdEnd = holdStart + config.duration().toNanos();
        long wallStart = wall0 + (holdStart - t0) / 1_000_000;
        live(String.format("%-6s holding %d connections (%d failed to open) for %s", config.label(),
                run.stats.opened.sum(), n - run.stats.opened.sum(), Units.duration(config.duration())));
        long tick = holdStart;
        while (tick + SECOND < holdEnd && !run.window.stopped()) {
            tick += SECOND;
            sleepUntil(tick, run);
            live(String.format("%-6s %3ds  holding: %d closed by the server so far", config.label(),
                    (tick - holdStart) / SECOND, run.stats.errors(ErrorClass.CLOSED) + run.stats.errors(ErrorClass.RESET)));
        }
        sleepUntil(holdEnd, run);
        long holdSeconds = System.nanoTime() - holdStart;
        for (HoldSlot slot : slots) {
            slot.probe();
        }
        awaitQuietly(probed, run.timeoutNanos + SECOND);
        run.window.stop();
        Recorders.Sample sample = run.recorders.sample();
        Histogram uncorrected = sample.uncorrected().copy();
        long alive = run.stats.aliveAtEnd.sum();
        live(String.format("%-6s %d of %d connections alive at the end", config.label(), alive, n));
        List<RunResult.IntervalPoint> intervals = List.of();
        if (hlog != null) {
            hlog.interval(config.label(), uncorrected, null, wallStart, wallStart + holdSeconds / 1_000_000);
        }
        return new RunResult(config.label(), config.endpoint().toString(), config.mode().cliName(), description(run),
                ranConfig(run, transport), wallStart, holdSeconds / 1e9,
                uncorrected.getTotalCount(), run.stats.bytes.sum(), uncorrected, null, errors(run),
                connections(run, setupSeconds), null,
                new RunResult.Hold(run.stats.opened.sum(), run.stats.probed.sum(), alive), intervals);
    }

    /**
     * The transport a run uses. {@code auto} takes io_uring, where it loads, for requests and replies, bulk
     * streams and datagrams: io_uring submits a loop's sends and receives together, and the bench on it keeps
     * pace with the C load generator (1.04, 1.06, 0.99 and 1.40 of its rate on rr100, rr1000, bulk and udp16,
     * against 0.80, 0.72, 1.00 and 0.75 on epoll; docs/benchmarks.md). Otherwise what {@code auto} means
     * everywhere else: for connection churn and held connections, which bind source addresses (epoll's
     * IP_BIND_ADDRESS_NO_PORT, which Netty's io_uring does not offer, picks the port at connect), and for Unix
     * sockets (Netty 4.2.18's io_uring ignores half-closure on them).
     *
     * @param config the run
     * @return the transport to use
     */
    public static NettyTransport transportFor(BenchConfig config) {
        boolean ringsHelp = config.endpoint().kind() != Endpoint.Kind.UNIX
                && config.mode() != BenchConfig.Mode.CONNECT && config.mode() != BenchConfig.Mode.HOLD;
        if (config.transport() == Transport.AUTO && ringsHelp && NettyTransport.available(Transport.IO_URING)) {
            return NettyTransport.select(Transport.IO_URING);
        }
        return NettyTransport.select(config.transport());
    }

    /**
     * Source addresses for many connections to an IPv4 loopback target: 127.0.0.1 .. 127.0.0.n, as the C load
     * generator spreads them. One source address has 28k ephemeral ports; connection churn leaves them in
     * TIME_WAIT and the kernel's search for a free port slows every connect down (and a hold of more than
     * about 28k connections is impossible). None for other targets or {@code n <= 1}.
     */
    static java.net.SocketAddress[] sourceAddresses(SocketAddress target, int n) {
        if (n <= 1 || !(target instanceof InetSocketAddress inet) || !(inet.getAddress() instanceof java.net.Inet4Address)
                || !inet.getAddress().isLoopbackAddress()) {
            return new java.net.SocketAddress[0];
        }
        java.net.SocketAddress[] sources = new java.net.SocketAddress[Math.min(n, 254)];
        for (int i = 0; i < sources.length; i++) {
            sources[i] = new InetSocketAddress("127.0.0." + (i + 1), 0);
        }
        return sources;
    }

    /** The workload's line, naming the check its replies were held to (with --check auto: the one detected). */
    private String description(RunContext run) {
        return Summaries.describe(config, CheckPhrase.of(config, run.payloads.applied(), run.payloads.detected()));
    }

    private ObjectNode ranConfig(RunContext run, NettyTransport transport) {
        return JsonReport.configNode(config, transport.kind().cliName(), run.payloads.applied(), run.payloads.detected());
    }

    private static long[] errors(RunContext run) {
        long[] errors = new long[ErrorClass.values().length];
        for (ErrorClass kind : ErrorClass.values()) {
            errors[kind.ordinal()] = run.stats.errors(kind);
        }
        return errors;
    }

    private RunResult.Connections connections(RunContext run, double setupSeconds) {
        Throwable first = run.firstConnectFailure.get();
        return new RunResult.Connections(config.connections(), run.stats.established.sum(),
                run.stats.failedFirst.sum(), run.stats.opened.sum(), setupSeconds,
                first == null ? null : ConnectFailures.connectFailed(config.endpoint(), first).getMessage());
    }

    private String liveLine(int second, Recorders.Sample sample, long requests, long bytes, double length, RunContext run) {
        Histogram h = sample.corrected() != null ? sample.corrected() : sample.uncorrected();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-6s %3ds  %s", config.label(), second, rateText(requests, bytes, length)));
        if (h.getTotalCount() > 0) {
            sb.append("  p50 ").append(Units.latency(h.getValueAtPercentile(50)))
                    .append("  p99 ").append(Units.latency(h.getValueAtPercentile(99)))
                    .append("  max ").append(Units.latency(h.getMaxValue()));
        }
        long errors = run.stats.errorTotal();
        sb.append("  errors ").append(errors);
        if (config.endpoint().kind() == Endpoint.Kind.UDP) {
            long lostSoFar = Math.max(0, run.stats.datagramsSent.sum() - run.stats.datagramsAnswered.sum());
            sb.append("  unanswered ").append(lostSoFar);
        }
        return sb.toString();
    }

    private String rateText(long requests, long bytes, double seconds) {
        if (config.mode() == BenchConfig.Mode.BULK || config.mode().oneWay()) {
            return Units.megabytesPerSecond(bytes / seconds) + " MB/s";
        }
        return Units.count(requests / seconds) + (config.mode() == BenchConfig.Mode.CONNECT ? " conn/s" : " req/s");
    }

    private void live(String line) {
        if (live != null) {
            live.accept(line);
        }
    }

    private static void sleepUntil(long deadline, RunContext run) {
        long now;
        while ((now = System.nanoTime()) < deadline && !run.window.stopped()) {
            LockSupport.parkNanos(Math.min(deadline - now, TimeUnit.MILLISECONDS.toNanos(50)));
        }
    }

    private static void awaitQuietly(CountDownLatch latch, long nanos) {
        if (nanos <= 0) {
            return;
        }
        try {
            latch.await(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The bootstrap needs a handler; each connection's own are added by its {@link Connector.Target}. */
    @ChannelHandler.Sharable
    private static final class NoHandler extends ChannelInitializer<Channel> {
        static final NoHandler INSTANCE = new NoHandler();

        @Override
        protected void initChannel(Channel ch) {
        }
    }
}
