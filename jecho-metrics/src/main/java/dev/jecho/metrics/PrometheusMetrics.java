package dev.jecho.metrics;

import dev.jecho.JechoServer;
import dev.jecho.ListenerRecorder;
import dev.jecho.MetricsRecorder;
import dev.jecho.internal.transport.NettyTransport;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.internal.PlatformDependent;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The Prometheus backend: one {@link PrometheusListener} of adders per listener, turned into metric
 * families only when scraped, plus the JVM's metrics, Netty's buffer memory and the kernel's listen-queue
 * and SYN-cookie counters. Nothing here runs on an event loop except the adders' increments.
 */
public final class PrometheusMetrics implements MetricsRecorder {

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Map<String, PrometheusListener> listeners = new ConcurrentHashMap<>();
    private volatile Labels buildInfo;
    private volatile BooleanSupplier accepting;
    private final Path netstat;
    private final ByteBufAllocator buffers;
    private boolean jvm;

    /**
     * A recorder to give the server ({@link dev.jecho.ServerConfig.Builder#recorder}); {@link #observe} then
     * tells it what only the running server knows.
     */
    public PrometheusMetrics() {
        this(JechoServer.version(), "none", () -> false, NettyTransport.buffers(), KernelNetstat.DEFAULT, true);
    }

    /**
     * @param version   jecho's version, for {@code jecho_build_info}
     * @param transport the transport in use ({@code epoll}, {@code io_uring}, {@code nio})
     * @param accepting whether the server accepts connections now, for {@code jecho_accepting}
     * @param buffers   the allocator the server's channels use, for {@code netty_allocator_memory_used_bytes}
     */
    public PrometheusMetrics(String version, String transport, BooleanSupplier accepting, ByteBufAllocator buffers) {
        this(version, transport, accepting, buffers, KernelNetstat.DEFAULT, true);
    }

    /**
     * Reports {@code server}'s transport in {@code jecho_build_info} and whether it accepts in {@code jecho_accepting}.
     *
     * @param server the running server this recorder was given to
     */
    public void observe(JechoServer server) {
        this.buildInfo = buildInfo(JechoServer.version(), server.transport().cliName());
        this.accepting = server::accepting;
    }

    private static Labels buildInfo(String version, String transport) {
        return Labels.of("version", version, "transport", transport,
                "java_version", System.getProperty("java.version", "unknown"));
    }

    PrometheusMetrics(String version, String transport, BooleanSupplier accepting, ByteBufAllocator buffers, Path netstat,
                      boolean jvm) {
        this.buildInfo = buildInfo(version, transport);
        this.accepting = accepting;
        this.netstat = netstat;
        this.buffers = buffers;
        registry.register((MultiCollector) this::collect);
        this.jvm = jvm;
    }

    @Override
    public ListenerRecorder listener(String listener, String service) {
        return listeners.computeIfAbsent(listener + " " + service, k -> new PrometheusListener(listener, service));
    }

    /**
     * The registry to scrape. The JVM's metrics join it on the first call: registering them takes a few
     * hundred milliseconds, which a server start should not wait for.
     *
     * @return the registry
     */
    public synchronized PrometheusRegistry registry() {
        if (jvm) {
            jvm = false;
            JvmMetrics.builder().register(registry);
        }
        return registry;
    }

    private MetricSnapshots collect() {
        List<PrometheusListener> all = new ArrayList<>(listeners.values());
        all.sort((a, b) -> a.listener.compareTo(b.listener));
        List<PrometheusListener> streams = all.stream().filter(l -> !l.datagram).toList();
        List<PrometheusListener> datagrams = all.stream().filter(l -> l.datagram).toList();

        List<MetricSnapshot> out = new ArrayList<>();
        out.add(InfoSnapshot.builder().name("jecho_build").help("jecho's version, transport and Java version")
                .dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder().labels(buildInfo).build()).build());
        out.add(GaugeSnapshot.builder().name("jecho_accepting").help("1 while the server accepts connections, 0 once it is stopping")
                .dataPoint(GaugeDataPointSnapshot.builder().value(accepting.getAsBoolean() ? 1 : 0).build()).build());

        counter(out, "jecho_connections_accepted", "Stream connections accepted (TCP and Unix sockets)", streams, l -> l.accepted.sum());
        gauge(out, "jecho_connections_open", "Stream connections open now", streams, l -> l.accepted.sum() - l.closed.sum());
        byReason(out, "jecho_connections_refused", "Connections accepted and then refused by policy, by reason", streams, l -> l.refused);
        counter(out, "jecho_messages_received", "Messages (reads) received on stream connections", streams, l -> l.messagesIn.sum());
        counter(out, "jecho_messages_sent", "Messages (writes) sent on stream connections", streams, l -> l.messagesOut.sum());
        counter(out, "jecho_datagrams_received", "UDP datagrams received", datagrams, l -> l.messagesIn.sum());
        counter(out, "jecho_datagrams_sent", "UDP reply datagrams sent", datagrams, l -> l.messagesOut.sum());
        byReason(out, "jecho_datagrams_dropped", "UDP datagrams that got no reply, by reason", datagrams, l -> l.dropped);
        counter(out, "jecho_bytes_received", "Payload bytes received (after TLS, before the service)", all, l -> l.bytesIn.sum());
        counter(out, "jecho_bytes_sent", "Payload bytes sent (before TLS)", all, l -> l.bytesOut.sum());
        counter(out, "jecho_handshakes_succeeded", "Authentication handshakes that succeeded", streams, l -> l.handshakes.sum());
        byReason(out, "jecho_handshakes_failed", "Authentication handshakes that failed, by reason", streams, l -> l.handshakeFailures);
        byLabel(out, "jecho_faults_met", "Faults injected (--fault): stream connections that met one, datagrams one acted on,"
                + " by fault", all, "fault", l -> l.faults);
        processing(out, all);

        nettyMemory(out);
        kernel(out);
        return new MetricSnapshots(out);
    }

    private static Labels labels(PrometheusListener l) {
        return Labels.of("listener", l.listener, "service", l.service);
    }

    private static void counter(List<MetricSnapshot> out, String name, String help, List<PrometheusListener> ls,
                                ToLongFunction<PrometheusListener> value) {
        if (ls.isEmpty()) {
            return;
        }
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
        for (PrometheusListener l : ls) {
            b.dataPoint(CounterDataPointSnapshot.builder().labels(labels(l)).value(value.applyAsLong(l)).build());
        }
        out.add(b.build());
    }

    private static void gauge(List<MetricSnapshot> out, String name, String help, List<PrometheusListener> ls,
                              ToLongFunction<PrometheusListener> value) {
        if (ls.isEmpty()) {
            return;
        }
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
        for (PrometheusListener l : ls) {
            b.dataPoint(GaugeDataPointSnapshot.builder().labels(labels(l)).value(value.applyAsLong(l)).build());
        }
        out.add(b.build());
    }

    private static void byReason(List<MetricSnapshot> out, String name, String help, List<PrometheusListener> ls,
                                 Function<PrometheusListener, Map<String, LongAdder>> counts) {
        byLabel(out, name, help, ls, "reason", counts);
    }

    private static void byLabel(List<MetricSnapshot> out, String name, String help, List<PrometheusListener> ls, String label,
                                Function<PrometheusListener, Map<String, LongAdder>> counts) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
        boolean any = false;
        for (PrometheusListener l : ls) {
            for (Map.Entry<String, LongAdder> e : counts.apply(l).entrySet()) {
                b.dataPoint(CounterDataPointSnapshot.builder().labels(labels(l).add(label, e.getKey()))
                        .value(e.getValue().sum()).build());
                any = true;
            }
        }
        if (any) {
            out.add(b.build());
        }
    }

    private static void processing(List<MetricSnapshot> out, List<PrometheusListener> ls) {
        List<PrometheusListener> timed = ls.stream().filter(l -> !l.datagram).toList();
        if (timed.isEmpty()) {
            return;
        }
        HistogramSnapshot.Builder b = HistogramSnapshot.builder().name("jecho_processing_seconds")
                .help("Server time from reading a batch of messages to handing its replies to the socket (1 in "
                        + ListenerRecorder.PROCESSED_SAMPLE + " read batches per connection)");
        for (PrometheusListener l : timed) {
            b.dataPoint(HistogramDataPointSnapshot.builder().labels(labels(l))
                    .classicHistogramBuckets(l.processing.buckets()).sum(l.processing.sumSeconds()).build());
        }
        out.add(b.build());
    }

    private void nettyMemory(List<MetricSnapshot> out) {
        GaugeSnapshot.Builder used = GaugeSnapshot.builder().name("netty_allocator_memory_used_bytes")
                .help("Memory held by the buffer allocator the server's channels use, by area");
        if (buffers instanceof ByteBufAllocatorMetricProvider provider) {
            ByteBufAllocatorMetric m = provider.metric();
            String name = buffers.getClass().getSimpleName();
            used.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("allocator", name, "area", "heap")).value(m.usedHeapMemory()).build());
            used.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("allocator", name, "area", "direct")).value(m.usedDirectMemory()).build());
            out.add(used.build());
        }
        long direct = PlatformDependent.usedDirectMemory();
        if (direct >= 0) {
            out.add(GaugeSnapshot.builder().name("netty_direct_memory_used_bytes")
                    .help("Direct memory Netty has allocated without the JDK's cleaner")
                    .dataPoint(GaugeDataPointSnapshot.builder().value(direct).build()).build());
        }
        out.add(GaugeSnapshot.builder().name("netty_direct_memory_max_bytes")
                .help("The most direct memory Netty may allocate")
                .dataPoint(GaugeDataPointSnapshot.builder().value(PlatformDependent.maxDirectMemory()).build()).build());
    }

    private void kernel(List<MetricSnapshot> out) {
        Map<String, Long> values = KernelNetstat.read(netstat);
        for (String[] field : KernelNetstat.FIELDS) {
            Long v = values.get(field[0]);
            if (v != null) {
                out.add(CounterSnapshot.builder().name("jecho_kernel_tcp_" + field[1])
                        .help(field[2] + " (kernel TcpExt " + field[0] + ", whole network namespace)")
                        .dataPoint(CounterDataPointSnapshot.builder().value(v).build()).build());
            }
        }
    }
}
