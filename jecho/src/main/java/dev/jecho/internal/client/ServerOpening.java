package dev.jecho.internal.client;

import dev.jecho.ClientException;
import dev.jecho.internal.protocol.handshake.HandshakeFormat;
import dev.jecho.internal.protocol.handshake.LegacyServerHandshake;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

import java.nio.charset.StandardCharsets;

/**
 * First in a client's stream pipeline: keeps the first bytes each way, so that a server that does not
 * answer as asked can be named with the option that is missing: jecho's handshake hello (it wants a key),
 * a TLS record, a JSON error line, the article's 32-byte challenge, or, for a TLS client, an echo of its
 * own TLS hello (a server without TLS). Where the server must not speak first (no key, no TLS: an echo
 * server only ever answers), bytes that come before the client sent any fail the connection at once.
 * It never changes what passes.
 */
final class ServerOpening extends ChannelDuplexHandler {

    /** What a server's first bytes can show it to be. */
    enum Met {
        JECHO_HELLO, TLS_RECORD, JSON_ERROR, UNASKED_OUTPUT, LEGACY_CHALLENGE
    }

    /** The options that make the client speak what a server may want, for a mismatch nothing names. */
    static final String OPTIONS = "not an echo server, or it needs --secret-file, --tls, --json or --legacy-auth";

    private static final int KEPT = 64;
    private static final byte[] HELLO_START = {'J', 'E', 'C', 'H', HandshakeFormat.VERSION};
    private static final byte[] JSON_ERROR_START = "{\"error\":".getBytes(StandardCharsets.US_ASCII);
    /** An echo of our first bytes this long includes a TLS hello's 32 random bytes: no coincidence. */
    private static final int ECHO_EVIDENCE = 43;
    /** A service's output nobody asked for is recognised from this many of its first bytes. */
    private static final int OUTPUT_EVIDENCE = 16;

    private final String peer;
    private final boolean serverSpeaksFirst;
    private final byte[] in = new byte[KEPT];
    private final byte[] out = new byte[KEPT];
    private int inKept;
    private int outKept;
    private long received;
    private long sent;

    /**
     * @param serverSpeaksFirst whether the server may send before the client (a handshake, TLS); if not,
     *                          bytes before the client's first fail the connection
     */
    ServerOpening(String peer, boolean serverSpeaksFirst) {
        this.peer = peer;
        this.serverSpeaksFirst = serverSpeaksFirst;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf && buf.isReadable()) {
            boolean unasked = sent == 0 && !serverSpeaksFirst;
            inKept = keep(buf, in, inKept);
            received += buf.readableBytes();
            if (unasked) {
                buf.release();
                ctx.fireExceptionCaught(mismatch(peer + " spoke before being asked, as no echo server does (0x"
                        + hex(in, inKept) + "; " + OPTIONS + ")"));
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf buf) {
            outKept = keep(buf, out, outKept);
            sent += buf.readableBytes();
        }
        ctx.write(msg, promise);
    }

    private static int keep(ByteBuf buf, byte[] kept, int n) {
        int more = Math.min(buf.readableBytes(), kept.length - n);
        buf.getBytes(buf.readerIndex(), kept, n, more);
        return n + more;
    }

    /** How many bytes the server sent so far. */
    long received() {
        return received;
    }

    /**
     * What the server's first bytes show it to be, or null. Only for a server already known not to answer
     * as asked: the article's challenge is recognised by its length alone.
     */
    Met met() {
        if (inKept >= 2 && startsWith(HELLO_START, Math.min(inKept, HELLO_START.length))) {
            return Met.JECHO_HELLO;
        }
        if (inKept >= 3 && in[0] >= 0x14 && in[0] <= 0x17 && in[1] == 3 && in[2] >= 0 && in[2] <= 4) {
            return Met.TLS_RECORD; // content type (change_cipher_spec .. application_data), version 3.0 to 3.4
        }
        if (inKept >= JSON_ERROR_START.length && startsWith(JSON_ERROR_START, JSON_ERROR_START.length)) {
            return Met.JSON_ERROR;
        }
        if (inKept >= OUTPUT_EVIDENCE && Expected.sendsUnasked(in, inKept) != null) {
            return Met.UNASKED_OUTPUT;
        }
        return received == LegacyServerHandshake.NONCE_LENGTH ? Met.LEGACY_CHALLENGE : null;
    }

    private boolean startsWith(byte[] prefix, int length) {
        for (int i = 0; i < length; i++) {
            if (in[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the server answered our first bytes (a TLS hello) as a registered byte service would: the same
     * bytes, their upper case.
     */
    boolean echoedOurs() {
        return Math.min(inKept, outKept) >= ECHO_EVIDENCE && Expected.echoes(out, outKept, in, inKept);
    }

    /**
     * The failure for a server whose answer is not what was asked for: what it is, with the option that is
     * missing, when its first bytes tell; else {@code otherwise}. Exit code 5 on the command line. Behind a
     * handshake or TLS the first bytes were theirs, and tell nothing about a later reply.
     */
    ClientException mismatch(String otherwise) {
        Met met = serverSpeaksFirst ? null : met();
        String what = met == null ? otherwise : switch (met) {
            case JECHO_HELLO -> peer + " wants a key: it began jecho's handshake (use --secret-file FILE)";
            case TLS_RECORD -> peer + " speaks TLS: it answered with a TLS record (use --tls)";
            case JSON_ERROR -> peer + " speaks JSON Lines: it answered with an error object (use --json)";
            case UNASKED_OUTPUT -> unasked();
            case LEGACY_CHALLENGE -> peer + " began with 32 bytes that are no echo, as the article's handshake does"
                    + " (use --legacy-auth md5|sha256 --secret-file FILE)";
        };
        return new ClientException(ClientException.Reason.AUTH, what);
    }

    /** What a server that sends a service's output unasked (chargen) is told. */
    private String unasked() {
        dev.jecho.Service s = Expected.sendsUnasked(in, inKept);
        return peer + " sends without being asked, as a " + s.name() + " server does; jecho client prints replies"
                + " (read it with nc, or measure it with jecho bench --mode download)";
    }

    /** Whether the first bytes name what the server is, where they can (no handshake, no TLS in front). */
    boolean recognises() {
        return !serverSpeaksFirst && met() != null;
    }

    /** The failure for a server that closed the connection (a FIN) while replies were outstanding. */
    ClientException closed() {
        return new ClientException(ClientException.Reason.CLOSED, !serverSpeaksFirst && received == 0
                ? "the server closed the connection without answering (it may want --tls, or have refused this client: see its log)"
                : "the server closed the connection");
    }

    /**
     * The failure for a server that reset the connection (an RST) while replies were outstanding: the same class
     * and exit code as a close, in words that tell the two apart, since a client's handling of each is tested apart.
     */
    ClientException reset() {
        return new ClientException(ClientException.Reason.CLOSED, !serverSpeaksFirst && received == 0
                ? "the server reset the connection without answering (it may want --tls, or have refused this client: see its log)"
                : "the server reset the connection (an RST, not a clean close: it aborted the connection, or closed it"
                        + " with requests unread)");
    }

    /** The first bytes of {@code buf}, in hex, shortened for a message. */
    static String hex(ByteBuf buf) {
        int shown = Math.min(buf.readableBytes(), 8);
        return ByteBufUtil.hexDump(buf, buf.readerIndex(), shown) + (buf.readableBytes() > shown ? "..." : "");
    }

    /** The first bytes of {@code b}, in hex, shortened for a message. */
    static String hex(byte[] b, int length) {
        int shown = Math.min(length, 8);
        return ByteBufUtil.hexDump(b, 0, shown) + (length > shown ? "..." : "");
    }
}
