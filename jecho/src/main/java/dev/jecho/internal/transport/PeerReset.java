package dev.jecho.internal.transport;

import java.io.IOException;
import java.util.Locale;

/**
 * Tells a connection the peer reset (a TCP RST: it aborted, or closed with data unread) from one it closed
 * cleanly (a FIN, read as the end of the stream). Netty reports a reset as an I/O error worded by the
 * transport: epoll and io_uring as the kernel's {@code ECONNRESET} ("Connection reset by peer"), NIO as
 * "Connection reset".
 */
public final class PeerReset {

    private PeerReset() {
    }

    /**
     * Whether {@code cause} is the peer's reset. A broken pipe is not: it is a write after the connection
     * ended, whichever way it ended.
     */
    public static boolean is(Throwable cause) {
        return cause instanceof IOException
                && String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT).contains("connection reset");
    }
}
