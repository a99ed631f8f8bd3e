package dev.jecho.internal.server;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * Why a stream connection was closed, for its close line: a channel attribute, set by whatever decides to close
 * it (the sweep, the drain, the TLS check, the JSON service, an error that reached the end of the pipeline) and
 * read by {@link ConnectionTracker} when the connection goes inactive. The first reason given wins: a close
 * that is already decided is not explained again by what happens while it completes.
 */
final class CloseReason {

    private static final AttributeKey<String> REASON = AttributeKey.valueOf(CloseReason.class, "reason");

    private CloseReason() {
    }

    /** Records why {@code channel} is being closed, unless a reason was given already; returns whether this one counts. */
    static boolean set(Channel channel, String reason) {
        return channel.attr(REASON).setIfAbsent(reason) == null;
    }

    /** The reason given, or null when none was. */
    static String of(Channel channel) {
        return channel.attr(REASON).get();
    }
}
