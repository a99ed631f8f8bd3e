package dev.jecho.internal.transport;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;

/**
 * Starts, on a thread of its own, what every command that opens a socket first waits for: loading and
 * linking epoll's native library and initializing Netty's platform probes and buffer pool. A command line
 * calls it before parsing itself, so that on a second core this overlaps the parsing; whichever thread
 * reaches a class first initializes it, the other waits for it, so nothing is done twice.
 *
 * <p>A class of its own, not a method of {@link NettyTransport}: calling a static method initializes its
 * class, and {@code NettyTransport}'s initialization is the buffer pool's, which would then run on the
 * calling thread, before the preload thread even starts.
 */
public final class NettyPreload {

    private NettyPreload() {
    }

    public static void inBackground() {
        Thread preload = new Thread(NettyPreload::preload, "jecho-preload");
        preload.setDaemon(true);
        preload.start();
    }

    private static void preload() {
        if (Epoll.isAvailable()) {
            EpollIoHandler.newFactory();
        }
        NettyTransport.BUFFERS.buffer(1).release();
    }
}
