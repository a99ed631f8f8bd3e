package dev.jecho.jmh;

import dev.jecho.Keyring;
import dev.jecho.internal.keys.SharedKey;
import dev.jecho.internal.protocol.handshake.ClientHandshakeHandler;
import dev.jecho.internal.protocol.handshake.HandshakeCrypto;
import dev.jecho.internal.protocol.handshake.ServerHandshakeHandler;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The jecho handshake, both sides. {@code crypto} is the work alone, as {@link HandshakeCrypto} does it:
 * two nonces, the transcript, the client's proof made and checked, the server's proof made and checked, and
 * the session keys on each side (HKDF). {@code handlers} runs the real server and client handshake handlers
 * back to back in two {@link EmbeddedChannel}s, moving each side's bytes to the other until the client has
 * installed its session records: the per-connection cost an authenticated connect adds on top of TCP (both
 * ends of it, as in a loopback test), channel set-up included.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 1)
public class HandshakeBenchmark {

    private static final long DEADLINE = TimeUnit.SECONDS.toNanos(10);

    private final SharedKey key = new SharedKey("bench", filled(0x42));
    private final Keyring keys = key.toKeyring();

    private static byte[] filled(int value) {
        byte[] b = new byte[32];
        Arrays.fill(b, (byte) value);
        return b;
    }

    @Benchmark
    public Object crypto() {
        byte[] serverNonce = HandshakeCrypto.newNonce();
        byte[] clientNonce = HandshakeCrypto.newNonce();
        // client
        byte[] transcript = HandshakeCrypto.transcript(serverNonce, clientNonce, key.id(), new byte[0]);
        byte[] clientProof = HandshakeCrypto.clientProof(key.spec(), transcript);
        // server
        byte[] serverTranscript = HandshakeCrypto.transcript(serverNonce, clientNonce, key.id(), new byte[0]);
        if (!MessageDigest.isEqual(clientProof, HandshakeCrypto.clientProof(key.spec(), serverTranscript))) {
            throw new IllegalStateException("client proof");
        }
        byte[] serverProof = HandshakeCrypto.serverProof(key.spec(), serverTranscript);
        HandshakeCrypto.SessionKeys serverKeys = HandshakeCrypto.sessionKeys(key.spec(), serverNonce, clientNonce, serverTranscript);
        // client
        if (!MessageDigest.isEqual(serverProof, HandshakeCrypto.serverProof(key.spec(), transcript))) {
            throw new IllegalStateException("server proof");
        }
        HandshakeCrypto.SessionKeys clientKeys = HandshakeCrypto.sessionKeys(key.spec(), serverNonce, clientNonce, transcript);
        return clientKeys.clientToServer() == serverKeys.clientToServer() ? null : clientKeys;
    }

    @Benchmark
    public boolean handlers() {
        EmbeddedChannel server = new EmbeddedChannel(new ServerHandshakeHandler(keys, DEADLINE));
        ClientHandshakeHandler clientHandshake = new ClientHandshakeHandler(key, "tcp://bench:1");
        EmbeddedChannel client = new EmbeddedChannel(clientHandshake);
        for (int round = 0; round < 4 && !clientHandshake.result().isDone(); round++) {
            pump(server, client);
            pump(client, server);
        }
        boolean done = clientHandshake.result().isDone() && !clientHandshake.result().isCompletedExceptionally();
        if (!done) {
            throw new IllegalStateException("the handshake did not finish");
        }
        server.finishAndReleaseAll();
        client.finishAndReleaseAll();
        return done;
    }

    private static void pump(EmbeddedChannel from, EmbeddedChannel to) {
        ByteBuf b;
        while ((b = from.readOutbound()) != null) {
            to.writeInbound(b);
        }
    }
}
