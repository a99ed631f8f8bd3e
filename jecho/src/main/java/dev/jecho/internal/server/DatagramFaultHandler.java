package dev.jecho.internal.server;

import dev.jecho.ListenerRecorder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DatagramPacket;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * What netem does to a UDP listener's replies, with no root: {@code loss} (in bursts: a loss starts with the
 * probability that makes the share lost the fraction asked, and takes {@code burst} datagrams in a row),
 * {@code truncate}, {@code duplicate}, {@code delay} ± jitter, {@code reorder} (a fraction held back by its delay,
 * so later replies overtake it). In front of the service, only while the server has datagram faults: the listener
 * adds and removes it as they change ({@link FaultSet#onChange}), and it reads the faults live. Every choice comes
 * from the listener's own generator.
 */
@ChannelHandler.Sharable // one per listener, re-added when faults come back; touched only on the listener's loop
final class DatagramFaultHandler extends ChannelOutboundHandlerAdapter {

    private final FaultSet faults;
    private final SplittableRandom random;
    private final ListenerRecorder recorder;
    private int burstLeft;

    DatagramFaultHandler(FaultSet faults, SplittableRandom random, ListenerRecorder recorder) {
        this.faults = faults;
        this.random = random;
        this.recorder = recorder;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        List<FaultSpec> now = faults.datagramFaults();
        if (now.isEmpty() || !(msg instanceof DatagramPacket packet)) {
            ctx.write(msg, promise);
            return;
        }
        FaultSpec loss = find(now, FaultType.LOSS);
        if (loss != null && lost(loss)) {
            recorder.faultMet("loss");
            packet.release();
            promise.trySuccess();
            return;
        }
        FaultSpec truncate = find(now, FaultType.TRUNCATE);
        if (truncate != null && packet.content().readableBytes() > truncate.bytes()) {
            recorder.faultMet("truncate");
            ByteBuf content = packet.content();
            DatagramPacket cut = packet.replace(content.retainedSlice(content.readerIndex(), (int) truncate.bytes()));
            packet.release();
            packet = cut;
        }
        FaultSpec duplicate = find(now, FaultType.DUPLICATE);
        boolean twice = duplicate != null && random.nextDouble() < duplicate.fraction();
        long delay = 0;
        FaultSpec d = find(now, FaultType.DELAY);
        if (d != null) {
            recorder.faultMet("delay");
            delay = d.delayNanos(random);
        }
        FaultSpec reorder = find(now, FaultType.REORDER);
        if (reorder != null && random.nextDouble() < reorder.fraction()) {
            recorder.faultMet("reorder");
            delay += reorder.time().toNanos();
        }
        if (twice) {
            recorder.faultMet("duplicate");
            send(ctx, packet.retainedDuplicate(), ctx.newPromise(), delay);
        }
        send(ctx, packet, promise, delay);
    }

    /** Whether this datagram is lost: in a burst already, or the start of one. */
    private boolean lost(FaultSpec loss) {
        if (burstLeft > 0) {
            burstLeft--;
            return true;
        }
        // A burst of n starts with probability q = f / (n - f (n - 1)): then the share lost is f.
        int n = loss.burst();
        double f = loss.fraction();
        double q = f / (n - f * (n - 1));
        if (random.nextDouble() < q) {
            burstLeft = n - 1;
            return true;
        }
        return false;
    }

    private static void send(ChannelHandlerContext ctx, DatagramPacket packet, ChannelPromise promise, long delayNanos) {
        if (delayNanos <= 0) {
            ctx.write(packet, promise);
        } else {
            ctx.executor().schedule(() -> ctx.writeAndFlush(packet, promise), delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    private static FaultSpec find(List<FaultSpec> faults, FaultType type) {
        for (FaultSpec f : faults) {
            if (f.type() == type) {
                return f;
            }
        }
        return null;
    }
}
