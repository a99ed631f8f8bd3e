package dev.jecho.internal.server;

import ch.qos.logback.classic.Level;
import dev.jecho.Keyring;
import dev.jecho.LegacyDigest;
import dev.jecho.ServerConfig;
import dev.jecho.ServerConfigAccess;
import dev.jecho.ServerStats;
import dev.jecho.internal.keys.SharedKey;
import dev.jecho.internal.protocol.ConnectionEvents;
import dev.jecho.internal.protocol.PeerAddress;
import dev.jecho.internal.protocol.handshake.HandshakeFormat;
import dev.jecho.internal.protocol.handshake.LegacyServerHandshake;
import dev.jecho.testing.LogCapture;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.DefaultChannelId;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ProxyHeaderHandlerTest {

    private static final InetSocketAddress LOOPBACK_PROXY = new InetSocketAddress("127.0.0.1", 50000);
    private static final byte[] V1 = "PROXY TCP4 203.0.113.7 127.0.0.1 40001 8888\r\n".getBytes(StandardCharsets.US_ASCII);
    /** v2, PROXY command, TCP over IPv4: 198.51.100.9:40002 -> 127.0.0.1:8888. */
    private static final byte[] V2 = HexFormat.of().parseHex(
            "0d0a0d0a000d0a515549540a" + "21" + "11" + "000c" + "c6336409" + "7f000001" + "9c42" + "22b8");
    /** v2, LOCAL command (the proxy's own health check), no addresses. */
    private static final byte[] V2_LOCAL = HexFormat.of().parseHex("0d0a0d0a000d0a515549540a" + "20" + "00" + "0000");

    private final Recorder seen = new Recorder();
    private ProxiedChannel ch;

    @AfterEach
    void finish() {
        seen.reads.forEach(ByteBuf::release);
        if (ch != null) {
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void v1HeaderFromTrustedProxySetsTheRealClientAndPassesTheRestOn() throws Exception {
        ch = channel(LOOPBACK_PROXY);
        ch.writeInbound(Unpooled.wrappedBuffer(concat(V1, "hello".getBytes(StandardCharsets.US_ASCII))));

        assertThat(ch.isOpen()).isTrue();
        assertThat(PeerAddress.of(ch)).isEqualTo(new InetSocketAddress("203.0.113.7", 40001));
        assertThat(seen.events).containsExactly(new ConnectionEvents.PeerKnown(new InetSocketAddress("203.0.113.7", 40001)));
        assertThat(seen.readText()).isEqualTo("hello");
        assertThat(ch.pipeline().get(ProxyHeaderHandler.class)).as("removed itself").isNull();
        assertThat(ch.pipeline().get(HAProxyMessageDecoder.class)).as("decoder removed itself").isNull();
    }

    @Test
    void v2HeaderArrivingOneByteAtATimeIsAssembled() throws Exception {
        ch = channel(LOOPBACK_PROXY);
        byte[] all = concat(V2, "abc".getBytes(StandardCharsets.US_ASCII));
        for (byte b : all) {
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        assertThat(ch.isOpen()).isTrue();
        assertThat(PeerAddress.of(ch)).isEqualTo(new InetSocketAddress("198.51.100.9", 40002));
        assertThat(seen.events).hasSize(1);
        assertThat(seen.readText()).isEqualTo("abc");
    }

    @Test
    void localHeaderOfAHealthCheckKeepsTheProxyAsThePeer() throws Exception {
        ch = channel(LOOPBACK_PROXY);
        ch.writeInbound(Unpooled.wrappedBuffer(V2_LOCAL));
        assertThat(ch.isOpen()).isTrue();
        assertThat(PeerAddress.of(ch)).isEqualTo(LOOPBACK_PROXY);
        assertThat(seen.events).containsExactly(new ConnectionEvents.PeerKnown(LOOPBACK_PROXY));
    }

    @Test
    void headerFromAnUntrustedAddressIsRefusedAndClosed() throws Exception {
        ch = channel(new InetSocketAddress("192.0.2.50", 50000));
        assertThat(ch.isOpen()).isFalse();
        assertThat(seen.events).containsExactly(new ConnectionEvents.Refused("untrusted_proxy"));
        assertThat(PeerAddress.of(ch)).as("no header was taken").isEqualTo(new InetSocketAddress("192.0.2.50", 50000));
    }

    @Test
    void dataWithoutAHeaderIsRefusedAndNeverReachesTheService() throws Exception {
        ch = channel(LOOPBACK_PROXY);
        ch.writeInbound(Unpooled.copiedBuffer("hello, I am not a proxy header\r\n", StandardCharsets.US_ASCII));
        assertThat(ch.isOpen()).isFalse();
        assertThat(seen.events).containsExactly(new ConnectionEvents.Refused("proxy_header_invalid"));
        assertThat(seen.reads).isEmpty();
    }

    @Test
    void malformedV1AddressIsRefused() throws Exception {
        ch = channel(LOOPBACK_PROXY);
        ch.writeInbound(Unpooled.copiedBuffer("PROXY TCP4 999.1.1.1 127.0.0.1 1 2\r\n", StandardCharsets.US_ASCII));
        assertThat(ch.isOpen()).isFalse();
        assertThat(seen.events).containsExactly(new ConnectionEvents.Refused("proxy_header_invalid"));
    }

    @Test
    void aMalformedV1HeadersControlCharactersNeverReachALogLine() throws Exception {
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(ProxyHeaderHandler.class);
        Level before = logger.getLevel();
        logger.setLevel(Level.DEBUG); // the refusal's reason is logged at DEBUG; Netty's message quotes a short header
        try (LogCapture log = LogCapture.start()) {
            ch = channel(LOOPBACK_PROXY);
            ch.writeInbound(Unpooled.copiedBuffer("PROXY TCP4 203.0.113.7\u001b]0;owned\u0007\u001b[2J\u0000\r\n",
                    StandardCharsets.ISO_8859_1));
            assertThat(ch.isOpen()).isFalse();
            List<String> lines = log.lines();
            assertThat(lines).anyMatch(l -> l.contains("no valid PROXY header") && l.contains("203.0.113.7\\x1b]0;owned\\x07\\x1b"));
            assertThat(lines).allSatisfy(l -> assertThat(l.chars()).as(l).noneMatch(Character::isISOControl));
        } finally {
            logger.setLevel(before);
        }
    }

    @Test
    void headerThatDoesNotArriveWholeInTimeIsRefused() throws Exception {
        ch = channel(LOOPBACK_PROXY);
        ch.writeInbound(Unpooled.wrappedBuffer(V1, 0, 10)); // a partial header, then nothing
        ch.advanceTimeBy(2999, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isTrue();
        ch.advanceTimeBy(2, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isFalse();
        assertThat(seen.events).containsExactly(new ConnectionEvents.Refused("proxy_header_timeout"));
    }

    @Test
    void headerInTimeCancelsTheTimeout() throws Exception {
        ch = channel(LOOPBACK_PROXY);
        ch.writeInbound(Unpooled.wrappedBuffer(V1));
        ch.advanceTimeBy(10, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isTrue();
        assertThat(seen.events).hasSize(1).first().isInstanceOf(ConnectionEvents.PeerKnown.class);
    }

    @Test
    void trustedProxyNetworksMatchByPrefix() {
        TrustedProxies trusted = TrustedProxies.of(List.of("10.1.0.0/16", "::1/128", "192.0.2.7"));
        assertThat(trusted.trusts(new InetSocketAddress("10.1.200.3", 1))).isTrue();
        assertThat(trusted.trusts(new InetSocketAddress("10.2.0.1", 1))).isFalse();
        assertThat(trusted.trusts(new InetSocketAddress("::1", 1))).isTrue();
        assertThat(trusted.trusts(new InetSocketAddress("192.0.2.7", 1))).isTrue();
        assertThat(trusted.trusts(new InetSocketAddress("192.0.2.8", 1))).isFalse();
    }

    @Test
    void trustedProxyMustBeAnAddressNotAName() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TrustedProxies.parse("proxy.example.com/32"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a network");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TrustedProxies.parse("10.0.0.0/33"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad prefix length");
    }

    /**
     * A {@code --proxy-protocol} listener with a secret (jecho's handshake, or the article's with
     * {@code legacy}), its connections built as the server builds them and sharing its limits: at most one
     * unauthenticated connection per source.
     */
    private static final class ProxyListener {
        final ServerConfig config;
        final OpenConnections open = new OpenConnections();
        final ServerCounters stats = new ServerCounters(open);
        final SourceLimits limits;

        ProxyListener(LegacyDigest legacy) {
            config = ServerConfig.builder().keys(Keyring.of("k", new byte[32])).legacyAuth(legacy)
                    .proxyProtocol(true).trustedProxies(List.of("127.0.0.1")).maxStartupsPerIp(1).build();
            limits = new SourceLimits(ServerConfigAccess.limits(config), new java.util.Random(1), new ConnectionLog(false));
        }

        ProxiedChannel connect(SocketAddress from) throws Exception {
            return ProxiedChannel.open(from, new StreamChannelInitializer(
                    TestListeners.stream(new ConnectionLog(false), "tcp", stats, open, false),
                    ServerConfigAccess.streamPipeline(config, limits, dev.jecho.internal.protocol.json.PartialMessageBudget.UNLIMITED),
                    ServerConfigAccess.proxy(config)));
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void theServersGreetingWaitsForTheHeaderAndAdmissionSoARefusedClientGetsNone(boolean legacy) throws Exception {
        ProxyListener listener = new ProxyListener(legacy ? LegacyDigest.SHA256 : null);
        ProxiedChannel admitted = listener.connect(LOOPBACK_PROXY);
        ProxiedChannel refused = listener.connect(LOOPBACK_PROXY);
        ProxiedChannel untrusted = listener.connect(new InetSocketAddress("192.0.2.50", 50000));
        try {
            assertThat((Object) admitted.readOutbound()).as("nothing before the header").isNull();
            admitted.writeInbound(Unpooled.wrappedBuffer(V1));
            ByteBuf greeting = admitted.readOutbound();
            assertThat(greeting).as("the greeting, once the client is known and admitted").isNotNull();
            assertThat(greeting.readableBytes()).isEqualTo(legacy ? LegacyServerHandshake.NONCE_LENGTH : HandshakeFormat.SERVER_HELLO_LENGTH);
            greeting.release();
            assertThat(admitted.isOpen()).isTrue();

            refused.writeInbound(Unpooled.wrappedBuffer(V1)); // the same client, past its one unauthenticated connection
            assertThat(refused.isOpen()).isFalse();
            assertThat(listener.stats.refusedConnections(ServerStats.Refusal.STARTUPS_PER_IP)).isEqualTo(1);
            assertThat((Object) refused.readOutbound()).as("a refused client gets no greeting").isNull();

            assertThat(untrusted.isOpen()).isFalse();
            assertThat((Object) untrusted.readOutbound()).as("nor does an untrusted proxy").isNull();
        } finally {
            admitted.finishAndReleaseAll();
            refused.finishAndReleaseAll();
            untrusted.finishAndReleaseAll();
        }
    }

    private ProxiedChannel channel(SocketAddress remote) throws Exception {
        return ProxiedChannel.open(remote, new HAProxyMessageDecoder(),
                new ProxyHeaderHandler(TrustedProxies.of(List.of("127.0.0.0/8", "::1/128")), TimeUnit.SECONDS.toNanos(3)),
                seen);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    /** An embedded channel with a real-looking remote address, and time under the test's control. */
    static final class ProxiedChannel extends EmbeddedChannel {
        private SocketAddress remote;

        private ProxiedChannel() {
            super(DefaultChannelId.newInstance(), false, false);
        }

        static ProxiedChannel open(SocketAddress remote, ChannelHandler... handlers) throws Exception {
            ProxiedChannel ch = new ProxiedChannel();
            ch.remote = remote;
            ch.register();
            ch.freezeTime(); // before the handlers schedule their deadlines, so a slow machine cannot run them out early
            ch.pipeline().addLast(handlers);
            ch.pipeline().fireChannelActive(); // the handlers came after registration, so announce the connection to them
            ch.runPendingTasks();
            return ch;
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return remote;
        }
    }

    /** Stands in for the rest of the pipeline: what got past the PROXY handling. */
    static final class Recorder extends ChannelInboundHandlerAdapter {
        final List<Object> events = new ArrayList<>();
        final List<ByteBuf> reads = new ArrayList<>();

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            events.add(evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            reads.add((ByteBuf) msg);
        }

        String readText() {
            StringBuilder sb = new StringBuilder();
            reads.forEach(b -> sb.append(b.toString(StandardCharsets.US_ASCII)));
            return sb.toString();
        }
    }
}
