package dev.jecho.internal.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.AttributeKey;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The faults one connection meets, first in its pipeline (so they act on the bytes as the socket carries them,
 * TLS records included, as a proxy's would), and only on a connection that meets at least one: a server with no
 * fault has no such stage. Each direction is a {@link FaultLane}; {@code refuse} closes the connection as it
 * becomes active, before a byte; {@code slow-close} holds the server's FIN back. What it holds back counts against the write
 * water marks, as unsent replies do (see {@link #holdBack}). Every random choice comes from the
 * connection's own generator, drawn from the fault seed ({@link FaultSet}).
 */
final class StreamFaultHandler extends ChannelDuplexHandler {

    /** What the connection met, for its close line: the specs, {@code ; }-separated. */
    static final AttributeKey<String> MET = AttributeKey.valueOf(StreamFaultHandler.class, "met");

    /** Which of the channel's user-defined writability bits is the stage's (1-31; nothing else here uses one). */
    private static final int WRITABILITY_BIT = 1;

    /** How long a connection ended by close-after keeps reading (and dropping) what the client still sends. */
    static final Duration FIN_GRACE = Duration.ofSeconds(2);

    private final List<FaultSpec> faults;
    private final SplittableRandom random;
    private FaultLane down;
    private FaultLane up;
    private FaultSpec refuse;
    private FaultSpec slowClose;
    private boolean refusing;
    /** close-after has sent the FIN: what the client sends now is read and dropped, and the service hears nothing. */
    private boolean ended;
    /** The channel is marked unwritable for what is held here. */
    private boolean holding;

    StreamFaultHandler(List<FaultSpec> faults, SplittableRandom random) {
        this.faults = faults;
        this.random = random;
    }

    /** Marks {@code channel} with what it meets, for its close line. */
    static void describe(Channel channel, List<FaultSpec> met) {
        channel.attr(MET).set(met.stream().map(FaultSpec::toString).collect(Collectors.joining("; ")));
    }

    /**
     * What {@code channel} met, or null. Asked without making the attribute: {@code attr(key)} adds one to every
     * channel it is asked of, and most connections meet no fault.
     */
    static String met(Channel channel) {
        return channel.hasAttr(MET) ? channel.attr(MET).get() : null;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        for (FaultSpec f : faults) {
            if (f.type() == FaultType.REFUSE) {
                refuse = f;
            } else if (f.type() == FaultType.SLOW_CLOSE) {
                slowClose = f;
            }
        }
        down = lane(ctx, false, new FaultLane.Sink() {
            @Override
            public void pass(ByteBuf piece, ChannelPromise promise) {
                ctx.write(piece, promise == null ? ctx.newPromise() : promise);
            }

            @Override
            public void batchDone() {
                ctx.flush();
                holdBack(ctx);
            }
        });
        up = lane(ctx, true, new FaultLane.Sink() {
            @Override
            public void pass(ByteBuf piece, ChannelPromise promise) {
                ctx.fireChannelRead(piece);
            }

            @Override
            public void batchDone() {
                ctx.fireChannelReadComplete();
                holdBack(ctx);
            }
        });
    }

    /** The lane for one direction, or null when no fault acts on it. */
    private FaultLane lane(ChannelHandlerContext ctx, boolean upstream, FaultLane.Sink sink) {
        FaultSpec latency = null;
        FaultSpec bandwidth = null;
        FaultSpec slice = null;
        FaultSpec corrupt = null;
        FaultSpec limit = null;
        for (FaultSpec f : faults) {
            if (f.upstream() != upstream) {
                continue;
            }
            switch (f.type()) {
                case LATENCY -> latency = f;
                case BANDWIDTH -> bandwidth = f;
                case SLICE -> slice = f;
                case CORRUPT -> corrupt = f;
                case STALL, CLOSE_AFTER, RESET_AFTER -> limit = f;
                default -> { }
            }
        }
        if (latency == null && bandwidth == null && slice == null && corrupt == null && limit == null) {
            return null;
        }
        FaultSpec at = limit;
        FaultLane.Limit reached = at == null || at.type() == FaultType.STALL ? () -> { } : () -> end(ctx, at);
        return new FaultLane(ctx, sink, random, latency, bandwidth, slice, corrupt, limit, reached);
    }

    /**
     * close-after and reset-after: the end of the stream, once the replies before it have gone. close-after sends a
     * FIN and then reads and drops what the client still sends, for {@link #FIN_GRACE} at most: closing with
     * requests unread would make the kernel answer them with a reset, not the clean end asked for.
     */
    private void end(ChannelHandlerContext ctx, FaultSpec at) {
        Runnable end = () -> {
            CloseReason.set(ctx.channel(), "fault " + at.type().word());
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) f -> {
                Channel ch = ctx.channel();
                if (at.type() == FaultType.RESET_AFTER) {
                    try { // SO_LINGER 0: close sends RST rather than FIN (a Unix socket has no such thing, and just closes)
                        ch.config().setOption(ChannelOption.SO_LINGER, 0);
                    } catch (RuntimeException e) {
                        // not a TCP socket
                    }
                    ctx.close();
                } else if (ch instanceof DuplexChannel duplex && ch.isActive()) {
                    ended = true;
                    duplex.shutdownOutput();
                    ctx.executor().schedule(() -> {
                        ctx.close();
                    }, FIN_GRACE.toNanos(), TimeUnit.NANOSECONDS);
                } else {
                    ctx.close();
                }
            });
        };
        if (down != null) {
            down.then(end);
        } else {
            end.run();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (refuse != null) {
            refusing = true;
            CloseReason.set(ctx.channel(), "fault refuse");
            ctx.channel().config().setAutoRead(false); // not a read: the socket closes before the pipeline would start one
            ctx.fireChannelActive();
            ctx.close();
            return;
        }
        ctx.fireChannelActive();
        if (down != null) {
            down.start();
        }
        if (up != null) {
            up.start();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (ended || refusing) {
            io.netty.util.ReferenceCountUtil.release(msg);
            return;
        }
        if (up == null || !(msg instanceof ByteBuf buf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        up.offer(buf, null);
        holdBack(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (ended && evt instanceof ChannelInputShutdownEvent) {
            ctx.close(); // the client has closed too: no need to wait
        } else if (up != null && evt instanceof ChannelInputShutdownEvent) {
            up.then(() -> ctx.fireUserEventTriggered(evt)); // the end of the requests comes after the requests
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (refusing) { // not a byte: whatever a stage behind says as the connection opens (a greeting) is dropped
            io.netty.util.ReferenceCountUtil.release(msg);
            promise.trySuccess();
            return;
        }
        if (down == null || !(msg instanceof ByteBuf buf)) {
            ctx.write(msg, promise);
            return;
        }
        down.offer(buf, promise);
        holdBack(ctx);
    }

    /**
     * slow-close holds the close back. Nothing else waits here: a clean end (the peer's end of stream, a drain)
     * closes once its last write has gone, and that write waits behind the replies held back like any other; a
     * close that does not wait (a timeout, the hard stop) must not wait for a fault either.
     */
    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        if (slowClose == null || refusing) {
            ctx.close(promise);
        } else {
            ctx.executor().schedule(() -> ctx.close(promise), slowClose.time().toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (down != null) {
            down.discard();
        }
        if (up != null) {
            up.discard();
        }
        ctx.fireChannelInactive();
    }

    /**
     * Bytes held here are no socket's, so the channel would not see them: the stage marks the channel unwritable
     * (a user-defined writability bit, as Netty's traffic shaping does) while it holds more than the write
     * high-water mark, until it holds less than the low one. So everything that respects writability does here
     * too: reading stops ({@link BackpressureHandler}), a service that speaks unasked (chargen) waits, and memory
     * stays bounded, as over a slow network.
     */
    private void holdBack(ChannelHandlerContext ctx) {
        ChannelOutboundBuffer buffer = ctx.channel().unsafe().outboundBuffer();
        if (buffer == null) {
            return;
        }
        long held = held();
        WriteBufferWaterMark marks = ctx.channel().config().getWriteBufferWaterMark();
        if (!holding && held > marks.high()) {
            holding = true;
            buffer.setUserDefinedWritability(WRITABILITY_BIT, false);
        } else if (holding && held < marks.low()) {
            holding = false;
            buffer.setUserDefinedWritability(WRITABILITY_BIT, true);
        }
    }

    private long held() {
        return (down == null ? 0 : down.queuedBytes()) + (up == null ? 0 : up.queuedBytes());
    }
}
