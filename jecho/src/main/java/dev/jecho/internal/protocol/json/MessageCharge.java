package dev.jecho.internal.protocol.json;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

/**
 * One connection's share of a {@link PartialMessageBudget}: what its framer holds of an unfinished message.
 * Used on the connection's event loop only.
 */
final class MessageCharge {

    private final PartialMessageBudget budget;
    private long charged;
    private boolean refused;

    MessageCharge(PartialMessageBudget budget) {
        this.budget = budget;
    }

    /**
     * Charges what the framer holds after a read. When the budget has no room for it, the bytes held are
     * dropped, the connection's charge given back, and an {@link PartialMessageBudget.ExhaustedException}
     * fired for the service to answer and close: from then on the framer drops everything ({@link #refused}).
     */
    void update(ChannelHandlerContext ctx, ByteBuf held) {
        if (refused || budget.unlimited()) {
            return;
        }
        long now = held.readableBytes();
        if (now == charged) {
            return;
        }
        if (budget.recharge(charged, now)) {
            charged = now;
            return;
        }
        refused = true;
        held.skipBytes(held.readableBytes());
        release();
        ctx.fireExceptionCaught(new PartialMessageBudget.ExhaustedException(budget.limit()));
    }

    boolean refused() {
        return refused;
    }

    /** Gives the connection's charge back (it closes, or its framer goes). */
    void release() {
        if (charged != 0) {
            budget.recharge(charged, 0);
            charged = 0;
        }
    }
}
