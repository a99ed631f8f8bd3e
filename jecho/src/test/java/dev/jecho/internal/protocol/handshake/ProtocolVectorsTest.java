package dev.jecho.internal.protocol.handshake;

import dev.jecho.Keyring;
import dev.jecho.internal.keys.SharedKey;
import dev.jecho.internal.protocol.datagram.TaggedDatagram;
import dev.jecho.testing.Repository;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The test vectors printed in docs/protocol.md are what this code computes: the document is checked,
 * so a client written from it alone interoperates.
 */
class ProtocolVectorsTest {

    static byte[] sequence(int from, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (from + i);
        }
        return b;
    }

    static final byte[] KEY = sequence(0x00, 32);
    static final byte[] SERVER_NONCE = sequence(0x20, 32);
    static final byte[] CLIENT_NONCE = sequence(0x40, 32);
    static final byte[] DATAGRAM_NONCE = sequence(0x60, 16);
    static final long DATAGRAM_TIME = 1767225600000L; // 2026-01-01T00:00:00Z

    /** What the code computes, in the document's names and order. */
    static Map<String, String> computed() {
        SharedKey key = new SharedKey("k1", KEY);
        HandshakePair pair = new HandshakePair(
                new ServerHandshakeHandler(key.toKeyring(), HandshakePair.DEADLINE, SERVER_NONCE),
                new ClientHandshakeHandler(key, "vectors", CLIENT_NONCE));
        Map<String, String> v = new LinkedHashMap<>();
        v.put("key", ByteBufUtil.hexDump(KEY));
        v.put("server nonce", ByteBufUtil.hexDump(SERVER_NONCE));
        v.put("client nonce", ByteBufUtil.hexDump(CLIENT_NONCE));
        byte[] hello = HandshakePair.drain(pair.server);
        v.put("server hello", ByteBufUtil.hexDump(hello));
        pair.client.writeInbound(Unpooled.wrappedBuffer(hello));
        byte[] auth = HandshakePair.drain(pair.client);
        v.put("client auth", ByteBufUtil.hexDump(auth));
        pair.server.writeInbound(Unpooled.wrappedBuffer(auth));
        byte[] serverAuth = HandshakePair.drain(pair.server);
        v.put("server auth", ByteBufUtil.hexDump(serverAuth));
        pair.client.writeInbound(Unpooled.wrappedBuffer(serverAuth));
        assertThat(pair.clientHandshake.result()).isCompleted();

        byte[] transcript = HandshakeCrypto.transcript(SERVER_NONCE, CLIENT_NONCE, "k1", new byte[0]);
        HandshakeCrypto.SessionKeys keys = HandshakeCrypto.sessionKeys(key.spec(), SERVER_NONCE, CLIENT_NONCE, transcript);
        v.put("key c2s", ByteBufUtil.hexDump(keys.clientToServer().getEncoded()));
        v.put("key s2c", ByteBufUtil.hexDump(keys.serverToClient().getEncoded()));
        byte[] line = "{\"a\":1}\n".getBytes(StandardCharsets.UTF_8);
        pair.client.writeOutbound(Unpooled.wrappedBuffer(line));
        v.put("record c2s 0", ByteBufUtil.hexDump(HandshakePair.drain(pair.client)));
        pair.server.writeOutbound(Unpooled.wrappedBuffer(line));
        v.put("record s2c 0", ByteBufUtil.hexDump(HandshakePair.drain(pair.server)));
        pair.client.writeOutbound(Unpooled.wrappedBuffer(line));
        v.put("record c2s 1", ByteBufUtil.hexDump(HandshakePair.drain(pair.client)));
        pair.finish();

        byte[] binding = new byte[32];
        java.util.Arrays.fill(binding, (byte) 0xcc);
        byte[] tlsTranscript = HandshakeCrypto.transcript(SERVER_NONCE, CLIENT_NONCE, "k1", binding);
        v.put("tls client proof", ByteBufUtil.hexDump(HandshakeCrypto.clientProof(key.spec(), tlsTranscript)));
        v.put("tls server proof", ByteBufUtil.hexDump(HandshakeCrypto.serverProof(key.spec(), tlsTranscript)));

        ByteBuf request = TaggedDatagram.seal(ByteBufAllocator.DEFAULT, key, DATAGRAM_TIME, DATAGRAM_NONCE,
                "hello".getBytes(StandardCharsets.UTF_8));
        v.put("datagram request", ByteBufUtil.hexDump(request));
        request.release();
        ByteBuf payload = Unpooled.copiedBuffer("HELLO", StandardCharsets.UTF_8);
        ByteBuf reply = TaggedDatagram.reply(ByteBufAllocator.DEFAULT, key, DATAGRAM_NONCE, payload);
        v.put("datagram reply", ByteBufUtil.hexDump(reply));
        reply.release();
        payload.release();
        return v;
    }

    /** The vectors block of docs/protocol.md: lines {@code name: hex}, hex possibly wrapped over indented lines. */
    static Map<String, String> documented() throws IOException {
        String doc = Files.readString(Repository.file("docs/protocol.md"), StandardCharsets.UTF_8);
        int start = doc.indexOf("```vectors");
        assertThat(start).as("docs/protocol.md has a ```vectors block").isGreaterThanOrEqualTo(0);
        String block = doc.substring(doc.indexOf('\n', start) + 1, doc.indexOf("```", start + 3));
        Map<String, String> v = new LinkedHashMap<>();
        String name = null;
        Matcher m;
        for (String line : block.split("\n")) {
            if ((m = Pattern.compile("^([a-z0-9 ]+):\\s*([0-9a-f ]*)$").matcher(line)).matches()) {
                name = m.group(1).strip();
                v.put(name, m.group(2).replace(" ", ""));
            } else if (name != null && line.startsWith(" ") && line.strip().matches("[0-9a-f ]+")) {
                v.put(name, v.get(name) + line.replace(" ", ""));
            }
        }
        return v;
    }

    @Test
    void theReasonTableNamesExactlyTheReasonsTheServerReports() throws IOException {
        String doc = Files.readString(Repository.file("docs/protocol.md"), StandardCharsets.UTF_8);
        int table = doc.indexOf("| reason ");
        assertThat(table).as("docs/protocol.md has the table of handshake reasons").isGreaterThanOrEqualTo(0);
        java.util.Set<String> documented = new java.util.TreeSet<>();
        Matcher row = Pattern.compile("(?m)^\\| `([a-z_]+)` +\\|").matcher(doc.substring(table, doc.indexOf("\n\n", table)));
        while (row.find()) {
            documented.add(row.group(1));
        }
        assertThat(documented).isEqualTo(new java.util.TreeSet<>(HandshakeFuzzTest.REASONS));
    }

    @Test
    void anIndependentPythonImplementationOfTheDocumentComputesTheSameVectors() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(python), "python3 not installed");
        Process p = new ProcessBuilder(python.toString(), Repository.file("jecho/src/test/resources/protocol/reference_vectors.py").toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        Map<String, String> fromPython = new LinkedHashMap<>();
        for (String line : out.strip().split("\n")) {
            int colon = line.indexOf(": ");
            fromPython.put(line.substring(0, colon), line.substring(colon + 2));
        }
        assertThat(fromPython).isEqualTo(documented());
    }

    @Test
    void theDocumentedVectorsAreWhatTheCodeComputes() throws IOException {
        Map<String, String> computed = computed();
        StringBuilder expected = new StringBuilder();
        computed.forEach((k, val) -> expected.append(k).append(": ").append(val).append('\n'));
        assertThat(documented()).as("docs/protocol.md vectors; the code computes:%n%s", expected).isEqualTo(computed);
    }
}
