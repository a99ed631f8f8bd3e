package dev.jecho;

import dev.jecho.internal.server.ConnectionLimits;
import dev.jecho.internal.server.MaxStartups;
import dev.jecho.internal.server.SourcePrefix;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The configuration's public face: plain types only (the groups behind it are internal), each setting's rule
 * checked once, by the group it belongs to, with a message that names the setting as {@code jecho server}
 * spells it.
 */
class ServerConfigTest {

    private static final Keyring KEY = Keyring.of("k", new byte[32]);

    @Test
    void thePublicSignaturesOfTheConfigurationAndTheServerNameNoInternalType() {
        List<String> leaks = new ArrayList<>();
        for (Class<?> type : List.of(ServerConfig.class, ServerConfig.Builder.class, ClientConfig.class,
                ClientConfig.Builder.class, JechoServer.class, JechoClient.class)) {
            for (Method m : type.getDeclaredMethods()) {
                if (Modifier.isPublic(m.getModifiers())) {
                    check(leaks, m, m.getGenericReturnType());
                }
            }
            for (Constructor<?> c : type.getDeclaredConstructors()) {
                if (Modifier.isPublic(c.getModifiers())) {
                    check(leaks, c, null);
                }
            }
            for (Field f : type.getDeclaredFields()) {
                if (Modifier.isPublic(f.getModifiers()) && internal(f.getGenericType())) {
                    leaks.add(type.getSimpleName() + "." + f.getName());
                }
            }
        }
        assertThat(leaks).isEmpty();
    }

    private static void check(List<String> leaks, Executable e, Type returned) {
        boolean leak = returned != null && internal(returned);
        for (Type p : e.getGenericParameterTypes()) {
            leak |= internal(p);
        }
        if (leak) {
            leaks.add(e.getDeclaringClass().getSimpleName() + "." + e.getName());
        }
    }

    private static boolean internal(Type type) {
        return type.getTypeName().contains("dev.jecho.internal.");
    }

    @Test
    void theLimitSpecsAreReadInTheSyntaxOfTheirOptions() {
        ConnectionLimits limits = ServerConfigAccess.limits(ServerConfig.builder().maxStartups("10:30:100")
                .sourcePrefix("32").penalties("max:1m").limitExempt("10.1.2.0/24").limitExempt("192.0.2.7").build());
        assertThat(limits.maxStartups()).isEqualTo(new MaxStartups(10, 30, 100));
        assertThat(limits.sourcePrefix()).isEqualTo(new SourcePrefix(32, 64));
        assertThat(limits.penalties().max()).isEqualTo(Duration.ofMinutes(1));
        assertThat(limits.penalties().authFail()).as("the other keys keep their defaults").isEqualTo(Duration.ofSeconds(5));
        assertThat(limits.exempt()).extracting(Object::toString).containsExactly("10.1.2.0/24", "192.0.2.7");
        assertThat(ServerConfigAccess.limits(ServerConfig.builder().penalties("off").build()).penalties().enabled()).isFalse();
    }

    @Test
    void aSpecThatDoesNotParseIsRefusedWhenGivenWithItsOptionsMessage() {
        assertThatThrownBy(() -> ServerConfig.builder().maxStartups("lots"))
                .hasMessage("max-startups 'lots' is not START:RATE:FULL (e.g. 128:30:256) or a single number");
        assertThatThrownBy(() -> ServerConfig.builder().maxStartups("10:30:5"))
                .hasMessage("max-startups needs 1 <= start <= full, got 10:30:5");
        assertThatThrownBy(() -> ServerConfig.builder().penalties("max:ten"))
                .hasMessage("--penalties takes a duration such as 500ms, 10s, 5m or 1h, got 'ten'");
        assertThatThrownBy(() -> ServerConfig.builder().sourcePrefix("33"))
                .hasMessage("an IPv4 source prefix is 0-32 bits, got 33");
        assertThatThrownBy(() -> ServerConfig.builder().limitExempt("example.com"))
                .hasMessageStartingWith("'example.com' is not an address or address block");
        assertThatThrownBy(() -> ServerConfig.builder().trustedProxies(List.of("lb.example.com")))
                .hasMessageStartingWith("'lb.example.com' is not a network");
    }

    @Test
    void eachGroupChecksItsValuesWhenTheConfigurationIsBuilt() {
        assertRefused(ServerConfig.builder().backlog(0), "backlog must be at least 1, got 0");
        assertRefused(ServerConfig.builder().writeBufferWaterMarks(10, 5), "need 0 < low <= high, got low=10 high=5");
        assertRefused(ServerConfig.builder().socketBuffers(-1, 0), "socket buffer sizes must be 0 (kernel default) or more");
        assertRefused(ServerConfig.builder().maxConnections(0), "max-connections must be at least 1, got 0");
        assertRefused(ServerConfig.builder().maxStartupsPerIp(-1), "max-startups-per-ip cannot be negative, got -1");
        assertRefused(ServerConfig.builder().idleTimeout(Duration.ofSeconds(-1)), "idle-timeout cannot be negative");
        assertRefused(ServerConfig.builder().handshakeTimeout(Duration.ZERO), "handshake-timeout must be longer than zero");
        assertRefused(ServerConfig.builder().maxDatagram(70_000), "max-datagram must be 0-65527 bytes, got 70000");
        assertRefused(ServerConfig.builder().udpRateLimit(10, 0), "udp-burst must be at least 1, got 0");
        assertRefused(ServerConfig.builder().maxLine(8), "max line must be at least 16 bytes, got 8");
        assertRefused(ServerConfig.builder().maxLine(1000).maxPartialBytes(999),
                "max-partial-bytes (999) must be at least max-line (1000): one message of the longest kind must fit");
        assertRefused(ServerConfig.builder().ioThreads(-1), "ioThreads must be 0 (one per two CPUs) or more, got -1");
        assertRefused(ServerConfig.builder().proxyHeaderTimeout(Duration.ZERO), "PROXY header timeout must be positive, got PT0S");
        assertThat(ServerConfig.builder().udpRateLimit(0, 0).build()).as("no rate: no burst needed").isNotNull();
    }

    @Test
    void theRulesAcrossGroupsSayWhichOptionsDoNotFit() {
        assertRefused(ServerConfig.builder().legacyAuth(LegacyDigest.MD5), "--legacy-auth needs the article's key:"
                + " --secret-file PATH (its salt \"SOCKET SERVER\" is U09DS0VUIFNFUlZFUg== in base64)");
        assertRefused(ServerConfig.builder().keys(KEY).legacyAuth(LegacyDigest.MD5).tcp("127.0.0.1", 0).udp("127.0.0.1", 0),
                "--legacy-auth is for TCP and Unix sockets: the article's handshake has no UDP form");
        ServerConfig legacy = ServerConfig.builder().keys(KEY).legacyAuth(LegacyDigest.MD5).build();
        assertThat(legacy.listeners()).as("the article's address, TCP only").containsExactly(Endpoint.tcp("127.0.0.1", 8888));
        assertThat(legacy.service()).isEqualTo(Service.ECHO);
        assertThat(legacy.json()).isTrue();
    }

    @Test
    void theClientSharesTheServersSocketOptionsAndTheirCheck() throws Exception {
        Endpoint tcp = Endpoint.tcp("127.0.0.1", 9);
        assertRefused(() -> ClientConfig.builder(tcp).socketBuffers(0, -1).build(),
                "socket buffer sizes must be 0 (kernel default) or more");
        assertThat(ClientConfig.builder(tcp).localAddress(InetAddress.getLoopbackAddress()).socketBuffers(4096, 0).build())
                .isNotNull();
    }

    private static void assertRefused(ServerConfig.Builder builder, String message) {
        assertRefused(builder::build, message);
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable build, String message) {
        assertThatThrownBy(build).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }
}
