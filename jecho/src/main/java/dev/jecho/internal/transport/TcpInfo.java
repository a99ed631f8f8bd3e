package dev.jecho.internal.transport;

import dev.jecho.ConnectionInfo;
import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.epoll.EpollTcpInfo;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.channel.uring.IoUringTcpInfo;

/**
 * The kernel's view of one TCP connection ({@code getsockopt(TCP_INFO)}), as {@code ss -ti} shows it.
 * Only the native transports (epoll, io_uring) can ask; NIO cannot.
 */
public final class TcpInfo {

    private static final String[] STATES = {
            "UNKNOWN", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT",
            "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "NEW_SYN_RECV",
    };

    /** The kernel's TCP info for a connected channel, or null where the transport cannot tell (NIO, Unix sockets). */
    public static ConnectionInfo.Tcp of(Channel channel) {
        if (channel instanceof EpollSocketChannel epoll && epoll.isOpen()) {
            EpollTcpInfo i = epoll.tcpInfo();
            return new ConnectionInfo.Tcp(stateName(i.state()), i.rtt(), i.rttvar(), i.retransmits(), i.totalRetrans(),
                    i.unacked(), i.sndCwnd(), i.sndMss());
        }
        if (channel instanceof IoUringSocketChannel uring && uring.isOpen()) {
            IoUringTcpInfo i = uring.tcpInfo();
            return new ConnectionInfo.Tcp(stateName(i.state()), i.rtt(), i.rttvar(), i.retransmits(), i.totalRetrans(),
                    i.unacked(), i.sndCwnd(), i.sndMss());
        }
        return null;
    }

    /** The kernel's TCP_CLOSE: what a connection becomes when its peer resets it. */
    private static final int TCP_CLOSE = 7;

    /**
     * Whether the kernel has closed this io_uring connection (its peer reset it) while Netty still holds it
     * open. Netty 4.2.18's io_uring transport can miss a reset that arrives while it has a read in flight
     * and nothing to write (docs/benchmarks.md); epoll and NIO report every reset themselves, so for them
     * this is false without asking the kernel.
     */
    public static boolean resetUnnoticed(Channel channel) {
        return channel instanceof IoUringSocketChannel uring && uring.isActive()
                && uring.tcpInfo().state() == TCP_CLOSE;
    }

    private TcpInfo() {
    }

    static String stateName(int state) {
        return state > 0 && state < STATES.length ? STATES[state] : "UNKNOWN(" + state + ")";
    }
}
