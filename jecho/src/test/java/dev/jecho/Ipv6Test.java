package dev.jecho;

import org.junit.jupiter.api.Test;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.util.Collections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class Ipv6Test {

    private static boolean hasIpv6Loopback() throws Exception {
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                if (a instanceof Inet6Address && a.isLoopbackAddress()) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void tcpAndUdpWorkOnTheIpv6Loopback() throws Exception {
        assumeTrue(hasIpv6Loopback(), "no ::1 on this machine");
        try (JechoServer server = JechoServer.builder().listen(Endpoint.parseHostPort(Endpoint.Kind.TCP, "[::1]:0"))
                .listen(Endpoint.parseHostPort(Endpoint.Kind.UDP, "[::1]:0")).start()) {
            for (Endpoint endpoint : server.boundEndpoints()) {
                assertThat(endpoint.toString()).contains("[::1]:");
                try (JechoClient client = JechoClient.connect(Endpoint.parse(endpoint.toString()))) {
                    assertThat(client.exchange("v6".getBytes(StandardCharsets.UTF_8))).isEqualTo("V6".getBytes(StandardCharsets.UTF_8));
                }
            }
        }
    }
}
