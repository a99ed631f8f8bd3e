package dev.jecho.internal.transport;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;

import java.util.function.Supplier;

/**
 * Starts, on a thread of its own, what every command that opens a socket first waits for: loading and
 * linking epoll's native library and initializing Netty's platform probes and the buffer allocator the
 * command's channels use. A command line calls it before parsing itself, so that on a second core this
 * overlaps the parsing; whichever thread reaches a class first initializes it, the other waits for it, so
 * nothing is done twice.
 *
 * <p>A class of its own, not methods of {@link NettyTransport}: calling a static method initializes its
 * class, and {@code NettyTransport}'s initialization is the buffer pool's, which would then run on the
 * calling thread, before the preload thread even starts.
 */
public final class NettyPreload {

    private NettyPreload() {
    }

    /** For a client: Netty's default allocator, which {@link dev.jecho.JechoClient}'s channels use (not the pool). */
    public static void forClient() {
        start(() -> ByteBufAllocator.DEFAULT);
    }

    /** For a server or a benchmark: the pooled buffers their channels use ({@link NettyTransport#buffers()}). */
    public static void forPooledBuffers() {
        start(NettyTransport::buffers);
    }

    private static void start(Supplier<ByteBufAllocator> buffers) {
        Thread preload = new Thread(() -> {
            if (Epoll.isAvailable()) {
                EpollIoHandler.newFactory();
            }
            buffers.get().buffer(1).release();
        }, "jecho-preload");
        preload.setDaemon(true);
        preload.start();
    }
}
