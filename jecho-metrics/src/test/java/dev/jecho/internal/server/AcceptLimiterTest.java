package dev.jecho.internal.server;

import com.sun.management.UnixOperatingSystemMXBean;
import dev.jecho.ServerStats;
import dev.jecho.ServerStats.Refusal;
import dev.jecho.metrics.PrometheusMetrics;
import dev.jecho.metrics.PrometheusMetricsSupport;
import dev.jecho.testing.Scrape;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** --max-connections on a listener's own pipeline: the EmbeddedChannel plays the listener, its messages the accepted sockets. */
class AcceptLimiterTest {

    private static final String LISTENER = "tcp://127.0.0.1:7777";

    private final OpenConnections open = new OpenConnections();
    private final ServerCounters stats = new ServerCounters(open);
    private final PrometheusMetrics metrics = PrometheusMetricsSupport.withoutJvm();
    private final AcceptLimiter limiter = new AcceptLimiter(2, stats, new ConnectionLog(false));
    private final EmbeddedChannel listener = new EmbeddedChannel(limiter.gate(new StreamListener("tcp", LISTENER,
            new ConnectionLog(false), stats, open, metrics.listener(LISTENER, "echo"), true)));

    private long refusedMetric(String reason) {
        return PrometheusMetricsSupport.scrape(metrics).count("jecho_connections_refused_total", "listener", LISTENER, "reason", reason);
    }

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
        assertThat(refusedMetric("max_connections")).as("in the listener's metrics too").isEqualTo(1);

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
        assertThat(refusedMetric("stopping")).isEqualTo(1);
        assertThat(listener.finish()).isFalse();
    }

    @Test
    void theCapIsTheServersWhateverListenerTheConnectionsComeTo() {
        String other = "unix:/tmp/other.sock";
        EmbeddedChannel unix = new EmbeddedChannel(limiter.gate(new StreamListener("unix", other,
                new ConnectionLog(false), stats, open, metrics.listener(other, "echo"), true)));
        EmbeddedChannel a = new EmbeddedChannel();
        EmbeddedChannel b = new EmbeddedChannel();
        EmbeddedChannel c = new EmbeddedChannel();
        listener.writeInbound(a);
        unix.writeInbound(b, c);
        assertThat((Channel) listener.readInbound()).isSameAs(a);
        assertThat((Channel) unix.readInbound()).isSameAs(b);
        assertThat(c.isOpen()).as("two open in all: the third is refused on the other listener").isFalse();
        Scrape s = PrometheusMetricsSupport.scrape(metrics);
        assertThat(s.count("jecho_connections_refused_total", "listener", other, "reason", "max_connections")).isEqualTo(1);
        assertThat(s.value("jecho_connections_refused_total", "listener", LISTENER, "reason", "max_connections")).isEmpty();
        a.close();
        b.close();
        assertThat(unix.finish()).isFalse();
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

    @Test
    void theOpenFileLimitReadFromProcIsTheOneTheJvmReports() {
        var jvm = (UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        assertThat(AcceptLimiter.openFileLimit()).isEqualTo(jvm.getMaxFileDescriptorCount());
    }

    @Test
    void theSoftLimitIsTheFirstNumberOnTheOpenFilesLine() {
        assertThat(AcceptLimiter.softOpenFileLimit(List.of(
                "Limit                     Soft Limit           Hard Limit           Units     ",
                "Max processes             95852                95852                processes ",
                "Max open files            1024                 524288               files     ",
                "Max locked memory         8388608              8388608              bytes     "))).isEqualTo(1024);
        assertThat(AcceptLimiter.softOpenFileLimit(List.of(
                "Max open files            unlimited            unlimited            files     "))).as("no limit").isEqualTo(-1);
        assertThat(AcceptLimiter.softOpenFileLimit(List.of("Max processes 10 10 processes"))).as("no such line").isEqualTo(-1);
    }
}
