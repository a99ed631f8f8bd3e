package dev.jecho.internal.server;

import dev.jecho.ServerConfig;
import dev.jecho.ServerConfigAccess;
import dev.jecho.ServerStats;
import dev.jecho.ServerStats.Refusal;
import dev.jecho.ServerStats.Timeout;
import dev.jecho.ServerTls;
import dev.jecho.Service;
import dev.jecho.internal.keys.SharedKey;
import dev.jecho.internal.protocol.ConnectionEvents;
import dev.jecho.internal.protocol.handshake.ServerHandshakeHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pre-authentication caps, per-source caps and penalties, on connections in EmbeddedChannels with a
 * stand-in handshake ({@link TestHandshake}: a line {@code AUTH ok} authenticates) and a frozen clock; the
 * deadline tests use the real jecho handshake, whose timer is the one deadline a connection has. Sources are told apart by the address in
 * {@link ConnectionEvents.PeerKnown}, as on a real listener; different sources are in different /24s
 * ({@code 127.0.N.1}), as the default {@link SourcePrefix} counts them.
 */
class AdmissionTest {

    private static final SharedKey KEY = new SharedKey("k", new byte[32]);
    private static final ServerTls TLS = ServerTls.selfSigned(List.of("localhost"), List.of());

    private final MockTicker ticker = Ticker.newMockTicker();
    private final OpenConnections open = new OpenConnections();
    private final ServerCounters stats = new ServerCounters(open);
    private final List<EmbeddedChannel> channels = new ArrayList<>();
    private int nextPort = 40000;
    private ServerConfig config;
    private SourceLimits limits;

    private void configure(ServerConfig.Builder builder) {
        config = builder.build();
        limits = new SourceLimits(ServerConfigAccess.limits(config), new Random(1), new ConnectionLog(false));
    }

    /** A connection from {@code ip} whose address has just become known, as ConnectionTracker announces it. */
    private EmbeddedChannel connect(String ip, boolean preAuthPhase) {
        EmbeddedChannel ch = EmbeddedChannel.builder().ticker(ticker).handlers(
                new AdmissionHandler(limits, stats, preAuthPhase),
                new ConnectionTracker(TestListeners.stream(new ConnectionLog(false), "tcp", stats, open, false)),
                new TestHandshake(),
                new ByteServiceHandler(Service.UPPER)).build();
        ch.pipeline().fireUserEventTriggered(new ConnectionEvents.PeerKnown(new InetSocketAddress(ip, nextPort++)));
        ch.runPendingTasks();
        channels.add(ch);
        return ch;
    }

    private EmbeddedChannel connect(String ip) {
        return connect(ip, true);
    }

    private static String exchange(EmbeddedChannel ch, String text) {
        ch.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
        StringBuilder out = new StringBuilder();
        ByteBuf reply;
        while ((reply = ch.readOutbound()) != null) {
            out.append(reply.toString(StandardCharsets.UTF_8));
            reply.release();
        }
        return out.toString();
    }

    private void advance(Duration d) {
        ticker.advance(d.toNanos(), TimeUnit.NANOSECONDS);
    }

    @AfterEach
    void closeAll() {
        for (EmbeddedChannel ch : channels) {
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void perSourceCapRefusesTheExcessAtOnceWhileAnotherSourceAuthenticates() {
        configure(ServerConfig.builder().maxStartupsPerIp(16));
        for (int i = 0; i < 16; i++) {
            assertThat(connect("127.0.2.1").isOpen()).as("held connection %d", i).isTrue();
        }
        EmbeddedChannel excess = connect("127.0.2.1");
        assertThat(excess.isOpen()).as("the 17th from the same address").isFalse();
        assertThat(stats.refusedConnections(Refusal.STARTUPS_PER_IP)).isEqualTo(1);

        EmbeddedChannel other = connect("127.0.3.1");
        assertThat(other.isOpen()).isTrue();
        assertThat(exchange(other, "AUTH ok\nhello")).isEqualTo("HELLO");
        assertThat(limits.preAuthConnections()).isEqualTo(16);
    }

    @Test
    void authenticatingOrClosingGivesTheStartupSlotBack() {
        configure(ServerConfig.builder().maxStartupsPerIp(2));
        EmbeddedChannel a = connect("127.0.2.1");
        EmbeddedChannel b = connect("127.0.2.1");
        assertThat(connect("127.0.2.1").isOpen()).isFalse();

        assertThat(exchange(a, "AUTH ok\nx")).isEqualTo("X");
        assertThat(connect("127.0.2.1").isOpen()).as("slot freed by authentication").isTrue();
        assertThat(connect("127.0.2.1").isOpen()).isFalse();

        b.close();
        assertThat(connect("127.0.2.1").isOpen()).as("slot freed by close").isTrue();
        assertThat(limits.preAuthConnections()).isEqualTo(2);
    }

    @Test
    void maxStartupsFullRefusesEverySourceExceptExemptOnes() {
        configure(ServerConfig.builder().maxStartups("4:30:4").maxStartupsPerIp(0)
                .limitExempt("10.9.0.0/16"));
        for (int i = 0; i < 4; i++) {
            assertThat(connect("127.0." + (i + 2) + ".1").isOpen()).isTrue();
        }
        assertThat(connect("127.0.9.1").isOpen()).as("a fifth unauthenticated connection").isFalse();
        assertThat(stats.refusedConnections(Refusal.STARTUPS)).isEqualTo(1);
        assertThat(connect("10.9.1.1").isOpen()).as("an exempt load-test machine").isTrue();
        assertThat(connect("10.9.1.1").isOpen()).isTrue();
    }

    @Test
    void betweenStartAndFullSomeConnectionsAreDroppedAtRandom() {
        configure(ServerConfig.builder().maxStartups("2:50:10").maxStartupsPerIp(0).penalties("off"));
        int held = 0;
        for (int i = 0; i < 100 && held < 6; i++) {
            held += connect("127.0.1." + i).isOpen() ? 1 : 0; // past 2 held, some are dropped already
        }
        assertThat(held).isEqualTo(6); // 6 held: p = 50 + 50 * (6 - 2) / (10 - 2) = 75 %
        int refused = 0;
        for (int i = 0; i < 400; i++) {
            EmbeddedChannel ch = connect("127.0.2." + (i % 200));
            if (!ch.isOpen()) {
                refused++;
            } else {
                ch.close();
            }
        }
        assertThat(refused).as("refused of 400 at 75%% drop probability").isBetween(250, 350);
    }

    @Test
    void repeatedAuthenticationFailuresEarnAPenaltyThatRefusesOnlyThatSourceAndExpires() {
        configure(ServerConfig.builder().penalties("authfail:5s,timeout:10s,refused:1s,noauth:0,min:15s,max:1m,max-sources:100"));
        for (int i = 0; i < 4; i++) {
            EmbeddedChannel ch = connect("127.0.2.1");
            assertThat(ch.isOpen()).as("attempt %d admitted", i).isTrue();
            exchange(ch, "AUTH wrong\n");
            assertThat(ch.isOpen()).isFalse();
        }
        // 4 x 5 s = 20 s outstanding > min 15 s: refused now
        EmbeddedChannel refused = connect("127.0.2.1");
        assertThat(refused.isOpen()).isFalse();
        assertThat(stats.refusedConnections(Refusal.PENALTY)).isEqualTo(1);
        assertThat(exchange(connect("127.0.3.1"), "AUTH ok\nfine")).as("another source is unaffected").isEqualTo("FINE");

        advance(Duration.ofSeconds(19));
        assertThat(connect("127.0.2.1").isOpen()).as("one second of penalty left").isFalse();
        advance(Duration.ofSeconds(2));
        EmbeddedChannel back = connect("127.0.2.1");
        assertThat(back.isOpen()).as("penalty served").isTrue();
        assertThat(exchange(back, "AUTH ok\nback")).isEqualTo("BACK");
    }

    /** A connection from {@code ip} behind the real jecho handshake, whose deadline runs on the test's clock. */
    private EmbeddedChannel connectToRealHandshake(String ip) {
        EmbeddedChannel ch = EmbeddedChannel.builder().ticker(ticker).handlers(
                new AdmissionHandler(limits, stats, true),
                new ConnectionTracker(TestListeners.stream(new ConnectionLog(false), "tcp", stats, open, false)),
                new ServerHandshakeHandler(KEY.toKeyring(), ServerConfigAccess.timeouts(config).handshake().toNanos()),
                new ByteServiceHandler(Service.UPPER)).build();
        ch.pipeline().fireUserEventTriggered(new ConnectionEvents.PeerKnown(new InetSocketAddress(ip, nextPort++)));
        for (ByteBuf hello; (hello = ch.readOutbound()) != null; ) {
            hello.release();
        }
        channels.add(ch);
        return ch;
    }

    private void tick(Duration d) {
        advance(d);
        channels.forEach(EmbeddedChannel::runScheduledPendingTasks);
    }

    @Test
    void theHandshakesOwnDeadlineClosesHeldConnectionsWhateverTheyTrickleAndPenalisesTheirSource() {
        configure(ServerConfig.builder().handshakeTimeout(Duration.ofSeconds(10)).penalties("authfail:5s,timeout:10s,refused:0,noauth:0,min:15s,max:1m,max-sources:100"));
        EmbeddedChannel first = connectToRealHandshake("127.0.2.1");
        EmbeddedChannel ch = connectToRealHandshake("127.0.2.1");
        byte[] prefix = {'J', 'E', 'C', 'H', 1, 0, 7, 7, 7, 7};
        for (int second = 1; second < 10; second++) {
            tick(Duration.ofSeconds(1));
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {prefix[second - 1]})); // slowloris: a byte a second
            assertThat(ch.isOpen()).as("open after %d s", second).isTrue();
        }
        assertThat(limits.preAuthConnections()).isEqualTo(2);
        tick(Duration.ofSeconds(1));
        assertThat(ch.isOpen()).as("closed at the deadline, not extended by its bytes").isFalse();
        assertThat(first.isOpen()).isFalse();
        assertThat(stats.timedOutConnections(Timeout.HANDSHAKE)).isEqualTo(2);
        assertThat(limits.preAuthConnections()).isZero();
        // two timeouts: 20 s outstanding > 15 s
        assertThat(limits.isPenalised(addr("127.0.2.1"), ticker.nanoTime())).isTrue();
        assertThat(connect("127.0.2.1").isOpen()).isFalse();
        assertThat(limits.isPenalised(addr("127.0.3.1"), ticker.nanoTime())).isFalse();
    }

    @Test
    void aHandshakeTimeoutIsCountedAndPenalisedOnceNotOncePerTimer() {
        // one timeout adds 10 s, below the 15 s that refuses: counted twice, it would refuse the source
        configure(ServerConfig.builder().handshakeTimeout(Duration.ofSeconds(10)).penalties("authfail:5s,timeout:10s,refused:0,noauth:0,min:15s,max:1m,max-sources:100"));
        EmbeddedChannel ch = connectToRealHandshake("127.0.2.1");
        tick(Duration.ofSeconds(10));
        assertThat(ch.isOpen()).isFalse();
        assertThat(limits.penaltyTableSize()).as("penalised").isEqualTo(1);
        assertThat(limits.isPenalised(addr("127.0.2.1"), ticker.nanoTime())).as("10 s, not 20 s").isFalse();
        tick(Duration.ofSeconds(5)); // any other timer would have fired by now
        assertThat(stats.timedOutConnections(Timeout.HANDSHAKE)).isEqualTo(1);
        assertThat(limits.isPenalised(addr("127.0.2.1"), ticker.nanoTime())).isFalse();
        assertThat(connect("127.0.2.1").isOpen()).isTrue();
    }

    @Test
    void aConnectionRefusedByALimitIsNotCountedAsAFailedOrTimedOutHandshake() {
        configure(ServerConfig.builder().maxStartupsPerIp(1).handshakeTimeout(Duration.ofSeconds(10)));
        connectToRealHandshake("127.0.2.1");
        EmbeddedChannel refused = connectToRealHandshake("127.0.2.1");
        assertThat(refused.isOpen()).isFalse();
        assertThat(stats.refusedConnections(Refusal.STARTUPS_PER_IP)).isEqualTo(1);
        assertThat(limits.preAuthConnections()).isEqualTo(1);
        tick(Duration.ofSeconds(10));
        assertThat(stats.timedOutConnections(Timeout.HANDSHAKE)).as("only the held one").isEqualTo(1);
    }

    @Test
    void aClientThatHangsUpMidHandshakeEarnsTheNoauthPenaltyOnceAndASingleHangUpLocksNoOneOut() {
        // noauth 1 s a hang-up; refused past 3 s outstanding
        configure(ServerConfig.builder().penalties("authfail:5s,timeout:10s,refused:0,noauth:1s,min:3s,max:1m,max-sources:100"));
        EmbeddedChannel silent = connectToRealHandshake("127.0.2.1"); // a health check: connect, close, not a byte
        silent.close();
        assertThat(limits.penaltyTableSize()).as("penalised").isEqualTo(1);
        EmbeddedChannel halfway = connectToRealHandshake("127.0.2.1");
        halfway.writeInbound(Unpooled.wrappedBuffer(new byte[] {'J', 'E', 'C', 'H', 1}));
        halfway.close(); // truncated
        EmbeddedChannel third = connectToRealHandshake("127.0.2.1");
        assertThat(third.isOpen()).as("two hang-ups (2 s) lock no one out").isTrue();
        third.close();
        assertThat(limits.isPenalised(addr("127.0.2.1"), ticker.nanoTime())).as("3 s: not more than min").isFalse();
        EmbeddedChannel fourth = connectToRealHandshake("127.0.2.1");
        fourth.close();
        assertThat(limits.isPenalised(addr("127.0.2.1"), ticker.nanoTime())).as("4 s outstanding").isTrue();
        assertThat(connect("127.0.2.1").isOpen()).isFalse();
        assertThat(stats.refusedConnections(Refusal.PENALTY)).isEqualTo(1);
        assertThat(connect("127.0.3.1").isOpen()).as("another source").isTrue();
        advance(Duration.ofMillis(4001));
        assertThat(connect("127.0.2.1").isOpen()).as("served, once per hang-up, not twice").isTrue();
        assertThat(limits.preAuthConnections()).isEqualTo(2);
    }

    @Test
    void aWrongMessageIsAFailedAuthentication() {
        // any penalty at all refuses at once (min 0)
        configure(ServerConfig.builder().penalties("authfail:5s,timeout:10s,refused:0,noauth:0,min:0,max:1m,max-sources:100"));
        EmbeddedChannel wrong = connectToRealHandshake("127.0.2.1");
        wrong.writeInbound(Unpooled.wrappedBuffer("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertThat(wrong.isOpen()).isFalse();
        assertThat(limits.isPenalised(addr("127.0.2.1"), ticker.nanoTime())).as("bad_magic is a failed authentication").isTrue();
        assertThat(limits.preAuthConnections()).isZero();
    }

    @Test
    void aSourceIsA24OrA64ForTheCapsAndThePenaltiesButAnExemptionIsOneAddress() {
        configure(ServerConfig.builder().maxStartupsPerIp(2).limitExempt("192.0.2.50").penalties("authfail:5s,timeout:10s,refused:0,noauth:0,min:0,max:1m,max-sources:100"));
        assertThat(connect("192.0.2.7").isOpen()).isTrue();
        assertThat(connect("192.0.2.8").isOpen()).isTrue();
        assertThat(connect("192.0.2.200").isOpen()).as("a third address of the same /24").isFalse();
        assertThat(stats.refusedConnections(Refusal.STARTUPS_PER_IP)).isEqualTo(1);
        assertThat(connect("192.0.3.7").isOpen()).as("the next /24").isTrue();
        assertThat(connect("192.0.2.50").isOpen()).as("an exempt address in the full /24").isTrue();

        assertThat(connect("2001:db8:0:1::1").isOpen()).isTrue();
        assertThat(connect("2001:db8:0:1:ffff:ffff:ffff:ffff").isOpen()).isTrue();
        assertThat(connect("2001:db8:0:1:abcd::9").isOpen()).as("a third address of the same /64").isFalse();
        assertThat(connect("2001:db8:0:2::1").isOpen()).as("the next /64").isTrue();

        exchange(connect("192.0.4.1"), "AUTH wrong\n");
        assertThat(connect("192.0.4.99").isOpen()).as("the penalty of 192.0.4.1 holds its /24").isFalse();
        assertThat(limits.isPenalised(addr("192.0.4.255"), ticker.nanoTime())).isTrue();
        assertThat(limits.isPenalised(addr("192.0.5.1"), ticker.nanoTime())).isFalse();
    }

    @Test
    void theSourcePrefixIsConfigurable() {
        configure(ServerConfig.builder().maxStartupsPerIp(1).sourcePrefix("32:128"));
        assertThat(connect("192.0.2.7").isOpen()).isTrue();
        assertThat(connect("192.0.2.8").isOpen()).as("single addresses").isTrue();
        assertThat(connect("192.0.2.8").isOpen()).isFalse();

        configure(ServerConfig.builder().maxStartupsPerIp(1).sourcePrefix("16:48"));
        assertThat(connect("10.1.0.1").isOpen()).isTrue();
        assertThat(connect("10.1.200.1").isOpen()).as("the same /16").isFalse();
        assertThat(connect("2001:db8:1:ff::1").isOpen()).isTrue();
        assertThat(connect("2001:db8:1:1::1").isOpen()).as("the same /48").isFalse();
    }

    /** A TLS connection from {@code ip} whose address has just become known, with no jecho handshake behind TLS. */
    private EmbeddedChannel connectOverTls(String ip) {
        EmbeddedChannel ch = EmbeddedChannel.builder().ticker(ticker).handlers(
                new AdmissionHandler(limits, stats, false),
                dev.jecho.internal.tls.TlsContexts.serverHandler(TLS, io.netty.buffer.ByteBufAllocator.DEFAULT),
                new ConnectionTracker(TestListeners.stream(new ConnectionLog(false), "tcp", stats, open, false)),
                new ByteServiceHandler(Service.UPPER),
                ConnectionEndHandler.INSTANCE).build();
        ch.pipeline().fireUserEventTriggered(new ConnectionEvents.PeerKnown(new InetSocketAddress(ip, nextPort++)));
        channels.add(ch);
        return ch;
    }

    @Test
    void aFailedTlsHandshakeCountsAsAFailedAuthenticationButAHangUpDuringItDoesNot() {
        // no noauth penalty: what is penalised here is the TLS failure; any penalty refuses (min 0)
        configure(ServerConfig.builder().penalties("authfail:5s,timeout:10s,refused:0,noauth:0,min:0,max:1m,max-sources:100"));
        EmbeddedChannel hangUp = connectOverTls("127.0.3.1");
        hangUp.close();
        assertThat(limits.penaltyTableSize()).as("closed before a byte").isZero();

        EmbeddedChannel plain = connectOverTls("127.0.2.1");
        plain.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1\r\n\r\n", StandardCharsets.US_ASCII));
        assertThat(plain.isOpen()).as("not TLS").isFalse();
        assertThat(limits.penaltyTableSize()).isEqualTo(1);
        assertThat(limits.isPenalised(addr("127.0.2.1"), ticker.nanoTime())).isTrue();

        EmbeddedChannel handshakeRecordOfGarbage = connectOverTls("127.0.4.1"); // past a first-byte check: the SslHandler's call
        handshakeRecordOfGarbage.writeInbound(Unpooled.copiedBuffer("\u0016GET / HTTP/1.1\r\n\r\n", StandardCharsets.US_ASCII));
        assertThat(handshakeRecordOfGarbage.isOpen()).isFalse();
        assertThat(limits.isPenalised(addr("127.0.4.1"), ticker.nanoTime())).isTrue();

        EmbeddedChannel hi = connectOverTls("127.0.5.1"); // too short for the SslHandler to decide: the first byte tells
        hi.writeInbound(Unpooled.copiedBuffer("hi", StandardCharsets.US_ASCII));
        assertThat(limits.isPenalised(addr("127.0.5.1"), ticker.nanoTime())).isTrue();
        hi.close();
        assertThat(limits.penaltyTableSize()).as("one penalty each, the close adds none").isEqualTo(3);
        assertThat(connectOverTls("127.0.2.1").isOpen()).isFalse();
        assertThat(stats.refusedConnections(Refusal.PENALTY)).isEqualTo(1);
        advance(Duration.ofMillis(5001));
        assertThat(connectOverTls("127.0.2.1").isOpen()).as("5 s, the authfail penalty").isTrue();
    }

    @Test
    void aTimeoutReportedByTheHandshakeItselfCountsAsAHandshakeTimeout() {
        configure(ServerConfig.builder().penalties("authfail:1s,timeout:20s,refused:0,noauth:0,min:15s,max:1m,max-sources:100"));
        EmbeddedChannel ch = connect("127.0.2.1");
        ch.pipeline().fireUserEventTriggered(new ConnectionEvents.AuthenticationFailed("timeout"));
        assertThat(limits.isPenalised(addr("127.0.2.1"), ticker.nanoTime())).as("20 s for a timeout, not 1 s for a failure").isTrue();
        assertThat(limits.preAuthConnections()).isZero();
        assertThat(stats.timedOutConnections(Timeout.HANDSHAKE)).isEqualTo(1);
    }

    @Test
    void refusedConnectionsAddUpToAPenaltyThatOutlastsTheFlood() {
        configure(ServerConfig.builder().maxStartupsPerIp(2).penalties("authfail:0,timeout:0,refused:1s,noauth:0,min:5s,max:30s,max-sources:100"));
        EmbeddedChannel a = connect("127.0.2.1");
        EmbeddedChannel b = connect("127.0.2.1");
        for (int i = 0; i < 6; i++) {
            assertThat(connect("127.0.2.1").isOpen()).isFalse();
        }
        assertThat(stats.refusedConnections(Refusal.STARTUPS_PER_IP)).isEqualTo(6);
        a.close();
        b.close();
        assertThat(connect("127.0.2.1").isOpen()).as("slots free, but 6 s of penalty outstanding").isFalse();
        assertThat(stats.refusedConnections(Refusal.PENALTY)).isEqualTo(1);
        advance(Duration.ofSeconds(6));
        assertThat(connect("127.0.2.1").isOpen()).isTrue();
    }

    @Test
    void exemptSourcesAreNeverCappedNorPenalised() {
        configure(ServerConfig.builder().maxStartupsPerIp(1).limitExempt("127.0.7.1"));
        for (int i = 0; i < 5; i++) {
            EmbeddedChannel ch = connect("127.0.7.1");
            assertThat(ch.isOpen()).isTrue();
            exchange(ch, "AUTH wrong\n");
        }
        assertThat(limits.penaltyTableSize()).isZero();
        assertThat(connect("127.0.7.1").isOpen()).isTrue();
        assertThat(connect("127.0.8.1").isOpen()).isTrue();
        assertThat(connect("127.0.8.1").isOpen()).as("a source that is not exempt").isFalse();
    }

    @Test
    void withoutAuthenticationOnlyThePerIpCapApplies() {
        configure(ServerConfig.builder().maxConnectionsPerIp(3).maxStartupsPerIp(1));
        List<EmbeddedChannel> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            EmbeddedChannel ch = EmbeddedChannel.builder().ticker(ticker).handlers(
                    new AdmissionHandler(limits, stats, false),
                    new ConnectionTracker(TestListeners.stream(new ConnectionLog(false), "tcp", stats, open, false)),
                    new ByteServiceHandler(Service.UPPER)).build();
            channels.add(ch);
            ch.pipeline().fireUserEventTriggered(new ConnectionEvents.PeerKnown(new InetSocketAddress("127.0.2.1", 1000 + i)));
            held.add(ch);
        }
        assertThat(held).allMatch(EmbeddedChannel::isOpen);
        assertThat(exchange(held.get(0), "no handshake")).isEqualTo("NO HANDSHAKE");
        assertThat(connect("127.0.2.1", false).isOpen()).as("a fourth from one address").isFalse();
        assertThat(stats.refusedConnections(Refusal.PER_IP)).isEqualTo(1);
        assertThat(limits.preAuthConnections()).isZero();
        held.forEach(EmbeddedChannel::close);
        assertThat(limits.trackedSources()).isZero();
    }

    @Test
    void unixSocketPeersAreNotCountedPerSource() {
        configure(ServerConfig.builder().maxStartupsPerIp(1).maxStartups("1"));
        for (int i = 0; i < 3; i++) {
            EmbeddedChannel ch = EmbeddedChannel.builder().ticker(ticker).handlers(
                    new AdmissionHandler(limits, stats, true),
                    new ConnectionTracker(TestListeners.stream(new ConnectionLog(false), "unix", stats, open, false)),
                    new TestHandshake()).build();
            channels.add(ch);
            ch.pipeline().fireUserEventTriggered(new ConnectionEvents.PeerKnown(
                    io.netty.channel.unix.DomainSocketAddress.class.cast(new io.netty.channel.unix.DomainSocketAddress("/tmp/x.sock"))));
            assertThat(ch.isOpen()).isTrue();
        }
        assertThat(limits.preAuthConnections()).as("they are still unauthenticated").isEqualTo(3);
        assertThat(limits.trackedSources()).isZero();
    }

    @Test
    void everySlotIsGivenBackWhenAllConnectionsClose() {
        configure(ServerConfig.builder().maxStartupsPerIp(4).maxConnectionsPerIp(8));
        for (int i = 0; i < 12; i++) {
            EmbeddedChannel ch = connect("127.0." + (2 + i % 3) + ".1");
            if (i % 2 == 0) {
                exchange(ch, "AUTH ok\n");
            }
        }
        channels.forEach(EmbeddedChannel::close);
        assertThat(limits.preAuthConnections()).isZero();
        assertThat(limits.trackedSources()).isZero();
        assertThat(open.size()).isZero();
    }

    private static InetAddress addr(String ip) {
        return new InetSocketAddress(ip, 0).getAddress();
    }
}
