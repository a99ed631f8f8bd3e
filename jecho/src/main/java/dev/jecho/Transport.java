package dev.jecho;

import dev.jecho.internal.transport.NettyTransport;

import java.util.Locale;

/**
 * Which Netty I/O transport to use. {@link #AUTO} picks the fastest one available on this machine;
 * see {@link NettyTransport#select(Transport)} for the order and the measurements behind it.
 */
public enum Transport {
    AUTO, EPOLL, IO_URING, NIO;

    /** The name used on the command line and in logs: {@code auto}, {@code epoll}, {@code io_uring}, {@code nio}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a CLI name; accepts {@code io_uring}, {@code io-uring} and {@code iouring}. */
    public static Transport parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        if (t.equals("iouring")) {
            t = "io_uring";
        }
        for (Transport value : values()) {
            if (value.cliName().equals(t)) {
                return value;
            }
        }
        throw new IllegalArgumentException("unknown transport '" + text + "': use auto, epoll, io_uring or nio");
    }
}
