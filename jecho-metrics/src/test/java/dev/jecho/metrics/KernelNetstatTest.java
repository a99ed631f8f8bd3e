package dev.jecho.metrics;

import dev.jecho.testing.Scrape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class KernelNetstatTest {

    @Test
    void listenQueueOverflowsAndSynCookiesComeFromTheTcpExtLines(@TempDir Path dir) throws Exception {
        Path netstat = dir.resolve("netstat");
        Files.writeString(netstat, """
                TcpExt: SyncookiesSent SyncookiesRecv SyncookiesFailed EmbryonicRsts ListenOverflows ListenDrops
                TcpExt: 12 3 1 0 41 43
                IpExt: InNoRoutes InTruncatedPkts
                IpExt: 0 0
                """);
        assertThat(KernelNetstat.read(netstat)).containsEntry("ListenOverflows", 41L).containsEntry("SyncookiesSent", 12L);

        PrometheusMetrics metrics = new PrometheusMetrics("test", "nio", () -> true, io.netty.buffer.ByteBufAllocator.DEFAULT, netstat, false);
        Scrape s = PrometheusMetricsSupport.scrape(metrics);
        assertThat(s.count("jecho_kernel_tcp_listen_overflows_total")).isEqualTo(41);
        assertThat(s.count("jecho_kernel_tcp_listen_drops_total")).isEqualTo(43);
        assertThat(s.count("jecho_kernel_tcp_syncookies_sent_total")).isEqualTo(12);
        assertThat(s.count("jecho_kernel_tcp_syncookies_received_total")).isEqualTo(3);
        assertThat(s.count("jecho_kernel_tcp_syncookies_failed_total")).isEqualTo(1);
    }

    @Test
    void aMissingFileMeansNoKernelMetricsRatherThanAnError(@TempDir Path dir) {
        assertThat(KernelNetstat.read(dir.resolve("absent"))).isEmpty();
        PrometheusMetrics metrics = new PrometheusMetrics("test", "nio", () -> true, io.netty.buffer.ByteBufAllocator.DEFAULT, dir.resolve("absent"), false);
        assertThat(PrometheusMetricsSupport.scrape(metrics).value("jecho_kernel_tcp_listen_overflows_total")).isEmpty();
    }
}
