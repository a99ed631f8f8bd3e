package dev.jecho.internal.bench;

import dev.jecho.internal.keys.Keys;
import dev.jecho.BenchConfig;
import dev.jecho.internal.keys.SharedKey;
import dev.jecho.internal.protocol.PipelineNames;
import dev.jecho.internal.protocol.datagram.TaggedDatagram;
import dev.jecho.internal.protocol.handshake.HandshakeCrypto;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * {@code rr} over UDP on one flow (its own connected socket): up to {@code pipeline} datagrams in flight;
 * a datagram without a reply after the timeout is given up (the flow goes on) and, unless its reply still
 * comes, counted lost.
 *
 * <p><b>Sequence tags.</b> When replies are checked and every datagram has at least {@link #TAG} bytes, each one
 * starts with its flow's sequence number as eight upper-case hex digits, followed by the alphabet pattern for
 * that number, provided the services replies are checked against give those digits back unchanged (they are
 * asked; upper and echo do). A reply is matched
 * to its datagram by that tag, so the bench tells apart: a <em>duplicate</em> (a second reply to one
 * datagram), a <em>reordered</em> reply (one that came after the reply to a later datagram), a
 * <em>late</em> one (after its datagram was given up), and a <em>loss</em> (no reply before the end of the
 * run plus the timeout). Without tags ({@code --check none}, or smaller datagrams) replies are matched in
 * order of sending and only loss is counted.
 *
 * <p><b>With a key</b> every datagram goes as a tagged request (protocol/datagram: key id, timestamp, a fresh
 * random nonce, HMAC tag), as {@code jecho client} sends them; a reply counts only with a right tag and the
 * nonce of the datagram it answers, and is then matched as above by its payload. A reply that fails those
 * checks is a mismatch.
 */
final class DatagramFlow extends ChannelInboundHandlerAdapter implements Connector.Target {

    private static final Logger LOG = LoggerFactory.getLogger(DatagramFlow.class);

    static final int TAG = 8;
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static final byte FREE = 0;
    private static final byte WAITING = 1;
    private static final byte GIVEN_UP = 2;
    private static final byte ANSWERED = 3;

    private final int index;
    private final RunContext run;
    private final boolean tagged;
    private final int depth;
    private final int mask;
    private final long[] seqOf;
    private final long[] sentAt;
    private final long[] dueAt;
    private final int[] sizeOf;
    private final byte[] state;
    private final boolean[] counted;
    private final SharedKey key;
    private final byte[] nonces;
    private final byte[] nonce = new byte[TaggedDatagram.NONCE_LENGTH];
    private long nextSeq;
    private long oldest;
    private int waiting;
    private long highestAnswered = -1;
    /** Datagrams answered, in any phase (for where losses began). */
    private long answeredAll;
    private boolean lossSeen;
    /** The first datagram given up, until a late reply clears it or it is old enough to count as lost; or -1. */
    private long lossCandidate = -1;
    private long lossCandidateSentAt;
    private long answeredBeforeCandidate;

    private ChannelHandlerContext ctx;
    private Recorders.ThreadRecorder recorder;
    private Pacer pacer;
    private boolean unflushed;
    private boolean started;
    private ScheduledFuture<?> sweeper;
    private ScheduledFuture<?> paceTimer;

    DatagramFlow(int index, RunContext run) {
        this.index = index;
        this.run = run;
        this.tagged = tagged(run);
        this.depth = run.config.pipeline();
        int capacity = ringCapacity(run.config);
        this.mask = capacity - 1;
        this.seqOf = new long[capacity];
        this.sentAt = new long[capacity];
        this.dueAt = new long[capacity];
        this.sizeOf = new int[capacity];
        this.state = new byte[capacity];
        this.counted = new boolean[capacity];
        this.key = Keys.primaryOf(run.config.keys());
        this.nonces = key == null ? null : new byte[capacity * TaggedDatagram.NONCE_LENGTH];
    }

    /** Room for every datagram that may still be answered: a multiple of what a timeout holds in flight. */
    static int ringCapacity(BenchConfig config) {
        double perTimeout = config.openLoop()
                ? config.rate() / config.connections() * config.timeout().toNanos() / 1e9 : 0;
        long want = Math.max(1024, Math.max(16L * config.pipeline(), (long) (4 * perTimeout)));
        return (int) Math.min(1 << 20, Long.highestOneBit(want - 1) << 1);
    }

    /** Whether the run's datagrams carry sequence tags: replies are checked, and the tags survive the services. */
    static boolean tagged(RunContext run) {
        return run.payloads.checks() && run.config.sizeMin() >= TAG && run.payloads.keeps(HEX);
    }

    @Override
    public void initChannel(Channel channel) {
        channel.pipeline().addLast(PipelineNames.BENCH, this);
    }

    @Override
    public void connectDone(ChannelFuture future) {
        if (!future.isSuccess()) {
            run.stats.error(ErrorClass.CONNECT);
            run.stats.failedFirst.increment();
            run.firstConnectFailure.compareAndSet(null, future.cause());
            return;
        }
        run.stats.established.increment();
        started = true;
        if (ctx.channel().localAddress() instanceof java.net.InetSocketAddress local) {
            run.datagramSource.compareAndSet(null, local.getAddress());
        }
        long now = System.nanoTime();
        run.stats.firstSendAt.accumulate(now);
        pacer = run.pacer(index, now);
        long sweep = run.sweepNanos();
        sweeper = ctx.executor().scheduleAtFixedRate(this::sweep, sweep, sweep, TimeUnit.NANOSECONDS);
        send(now);
        flush();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.recorder = run.recorders.of(ctx.channel().eventLoop());
    }

    private void send(long now) {
        while (waiting < depth && run.window.running(now) && nextSeq - oldest <= mask) {
            long due = now;
            if (pacer != null) {
                due = pacer.nextDue();
                if (due > now) {
                    armPaceTimer(due);
                    return;
                }
                pacer.take();
            }
            long seq = nextSeq++;
            int size = run.nextSize();
            int i = (int) (seq & mask);
            seqOf[i] = seq;
            sentAt[i] = now;
            dueAt[i] = due;
            sizeOf[i] = size;
            state[i] = WAITING;
            counted[i] = now >= run.window.start();
            if (counted[i]) {
                run.stats.datagramsSent.increment();
            }
            waiting++;
            ByteBuf datagram = datagram(seq, size);
            ctx.write(key == null ? datagram : seal(datagram, i), ctx.voidPromise());
            unflushed = true;
        }
    }

    private ByteBuf datagram(long seq, int size) {
        if (!tagged) {
            return run.payloads.request(ctx.alloc(), seq, size);
        }
        ByteBuf buf = ctx.alloc().directBuffer(size);
        long v = seq & 0xFFFF_FFFFL;
        for (int shift = 28; shift >= 0; shift -= 4) {
            buf.writeByte(HEX[(int) (v >>> shift) & 0xF]);
        }
        run.payloads.copyRequest(seq, TAG, size, buf);
        return buf;
    }

    /** The tagged request around a payload (released here), with a fresh nonce remembered for its slot. */
    private ByteBuf seal(ByteBuf payload, int slot) {
        try {
            HandshakeCrypto.random().nextBytes(nonce);
            System.arraycopy(nonce, 0, nonces, slot * nonce.length, nonce.length);
            return TaggedDatagram.seal(ctx.alloc(), key, System.currentTimeMillis(), nonce, payload);
        } finally {
            payload.release();
        }
    }

    /** Whether a reply's nonce is the one sent with the datagram in {@code slot}. */
    private boolean answersSlot(byte[] replyNonce, int slot) {
        return key == null || java.util.Arrays.equals(replyNonce, 0, replyNonce.length,
                nonces, slot * replyNonce.length, (slot + 1) * replyNonce.length);
    }

    private void armPaceTimer(long due) {
        if (paceTimer != null) {
            return;
        }
        paceTimer = ctx.executor().schedule(() -> {
            paceTimer = null;
            send(System.nanoTime());
            flush();
        }, Math.max(0, due - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private void flush() {
        if (unflushed) {
            unflushed = false;
            ctx.flush();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf content = msg instanceof DatagramPacket packet ? packet.content() : (ByteBuf) msg;
        try {
            long now = System.nanoTime();
            byte[] replyNonce = null;
            if (key != null) {
                replyNonce = TaggedDatagram.replyNonce(content);
                byte[] payload = replyNonce == null ? null : TaggedDatagram.openReply(content, key, replyNonce);
                content = payload == null ? null : Unpooled.wrappedBuffer(payload);
            }
            if (content == null) {
                mismatch(); // not a tagged reply, or its tag is wrong
            } else if (tagged) {
                receivedTagged(content, replyNonce, now);
            } else {
                receivedInOrder(content, replyNonce, now);
            }
            advanceOldest();
            send(now);
            // At once, not at the end of the read loop: Netty's datagram read loop reads again until the socket
            // is empty, and with the next datagram already out that read often finds its reply (the server runs
            // on another CPU) instead of EAGAIN; flushed later, it never can (one wasted recvfrom per round trip).
            flush();
        } finally {
            io.netty.util.ReferenceCountUtil.release(msg);
        }
    }

    private void receivedTagged(ByteBuf in, byte[] replyNonce, long now) {
        long tag = parseTag(in);
        if (tag < 0) {
            mismatch();
            return;
        }
        long newest = nextSeq - 1;
        long seq = newest - ((newest - tag) & 0xFFFF_FFFFL);
        int i = (int) (seq & mask);
        if (seq < 0 || seqOf[i] != seq || state[i] == FREE) {
            if (seq >= 0 && seq < nextSeq - mask) {
                run.stats.late.increment(); // so late its slot was reused: answered, but not timed
                return;
            }
            mismatch();
            return;
        }
        if (in.readableBytes() != sizeOf[i] || !answersSlot(replyNonce, i)
                || !run.payloads.matches(in, in.readerIndex() + TAG, seq, TAG, sizeOf[i] - TAG)) {
            mismatch();
            return;
        }
        answered(i, seq, now);
    }

    private static long parseTag(ByteBuf in) {
        if (in.readableBytes() < TAG) {
            return -1;
        }
        long v = 0;
        for (int k = 0; k < TAG; k++) {
            int c = in.getByte(in.readerIndex() + k);
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (d < 0) {
                return -1;
            }
            v = (v << 4) | d;
        }
        return v;
    }

    private void receivedInOrder(ByteBuf in, byte[] replyNonce, long now) {
        long seq = oldest;
        while (seq < nextSeq && state[(int) (seq & mask)] != WAITING) {
            seq++;
        }
        if (seq == nextSeq) {
            mismatch(); // nothing is waiting: a reply to a datagram given up, or never sent
            return;
        }
        int i = (int) (seq & mask);
        if (in.readableBytes() != sizeOf[i] || !answersSlot(replyNonce, i)
                || !run.payloads.matches(in, in.readerIndex(), seq, 0, sizeOf[i])) {
            mismatch();
            return;
        }
        answered(i, seq, now);
    }

    private void answered(int i, long seq, long now) {
        byte was = state[i];
        if (was == ANSWERED) {
            if (counted[i]) {
                run.stats.duplicates.increment();
            }
            return;
        }
        state[i] = ANSWERED;
        answeredAll++;
        if (was == WAITING) {
            waiting--;
        }
        if (seq == lossCandidate) {
            lossCandidate = -1; // a late reply, not a loss
        }
        if (counted[i]) {
            run.stats.datagramsAnswered.increment();
            if (was == GIVEN_UP) {
                run.stats.late.increment();
            }
            if (seq < highestAnswered) {
                run.stats.reordered.increment();
            }
        }
        highestAnswered = Math.max(highestAnswered, seq);
        if (run.window.counts(dueAt[i], now)) {
            recorder.record(dueAt[i], sentAt[i], now);
            run.stats.bytes.add(sizeOf[i]);
        }
        run.stats.completed.increment();
    }

    private void mismatch() {
        if (!run.window.stopped()) {
            run.stats.error(ErrorClass.MISMATCH);
        }
    }

    /** Gives up datagrams that waited longer than the timeout, so the flow goes on. */
    private void sweep() {
        long now = System.nanoTime();
        for (long seq = oldest; seq < nextSeq; seq++) {
            int i = (int) (seq & mask);
            if (state[i] == WAITING) {
                if (now - sentAt[i] <= run.timeoutNanos) {
                    break;
                }
                state[i] = GIVEN_UP;
                waiting--;
                if (!lossSeen && lossCandidate < 0) {
                    candidateLoss(seq, i);
                }
            }
        }
        if (lossCandidate >= 0 && now - lossCandidateSentAt > 2 * run.timeoutNanos) {
            lossSeen = true;
            lossCandidate = -1;
            run.stats.lossBegan(lossCandidateSentAt, answeredBeforeCandidate);
        }
        advanceOldest();
        send(now);
        flush();
    }

    /**
     * The flow's first datagram given up: where its losses began, and after how many replies, once no late
     * reply shows it was only slow (the sweep tells the run when it has waited twice the timeout).
     */
    private void candidateLoss(long seq, int slot) {
        long answeredAfter = 0;
        for (long s = seq + 1; s < nextSeq; s++) {
            if (state[(int) (s & mask)] == ANSWERED) {
                answeredAfter++;
            }
        }
        lossCandidate = seq;
        lossCandidateSentAt = sentAt[slot];
        answeredBeforeCandidate = answeredAll - answeredAfter;
    }

    private void advanceOldest() {
        while (oldest < nextSeq && state[(int) (oldest & mask)] >= GIVEN_UP
                && (state[(int) (oldest & mask)] == ANSWERED || nextSeq - oldest > mask / 2)) {
            oldest++;
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flush();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // An ICMP port unreachable: nothing listens there (a datagram socket survives it).
        if (!run.window.stopped()) {
            run.stats.error(ErrorClass.CONNECT);
            run.firstConnectFailure.compareAndSet(null, cause);
        }
        LOG.debug("{}: {}", ctx.channel(), cause.toString());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (sweeper != null) {
            sweeper.cancel(false);
        }
        if (paceTimer != null) {
            paceTimer.cancel(false);
        }
        ctx.fireChannelInactive();
    }

    boolean started() {
        return started;
    }
}
