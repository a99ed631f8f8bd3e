package dev.jecho;

import java.util.Locale;

/**
 * Which Netty I/O transport to use. {@link #AUTO} picks the fastest one available on this machine: epoll, then
 * NIO (docs/benchmarks.md has the measurements behind the order). Asking for a native transport that cannot load
 * here is an {@link IllegalStateException} that says why.
 */
public enum Transport {
    /** The best one here: epoll on Linux, else NIO. */
    AUTO,
    /** Linux's epoll, through Netty's native transport. */
    EPOLL,
    /** Linux's io_uring (kernel 5.14 or later), through Netty's native transport. */
    IO_URING,
    /** The JDK's selector: everywhere. */
    NIO;

    /**
     * The name used on the command line and in logs.
     *
     * @return {@code auto}, {@code epoll}, {@code io_uring} or {@code nio}
     */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a name as {@link #cliName()} gives it, in any case; {@code io-uring} and {@code iouring} are io_uring too.
     *
     * @param text the name
     * @return the transport
     * @throws IllegalArgumentException for any other name (the message lists the names)
     */
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
