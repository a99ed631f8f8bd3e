package dev.jecho.internal.transport;

import dev.jecho.Endpoint;
import dev.jecho.Transport;
import dev.jecho.internal.transport.TransportUnavailableException;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.AbstractNioChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannelOption;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringDomainSocketChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerDomainSocketChannel;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * One resolved Netty transport: the I/O handler factory and the channel classes for every socket kind
 * jecho uses. Everything that differs between epoll, io_uring and NIO lives here.
 */
public final class NettyTransport {

    /**
     * The buffers every server channel uses: pooled, chosen by measurement over Netty 4.2's default adaptive
     * allocator: the same for small TCP messages, clearly faster for the 64 KiB buffer every datagram is read
     * into (docs/benchmarks.md). Metrics report this allocator's memory. Made when first asked for, not as
     * this class is initialized: a client uses Netty's default allocator and never needs the pool's arenas
     * (some 25 ms of a cold start).
     */
    public static ByteBufAllocator buffers() {
        return PooledByteBufAllocator.DEFAULT;
    }

    /** The system property of Netty's io_uring transport that {@link #pollInOnceAtATime} sets. */
    static final String IO_URING_MULTISHOT_POLL = "io.netty.iouring.pollAddMultishotEnabled";

    static {
        pollInOnceAtATime();
    }

    /**
     * Makes Netty's io_uring transport wait for input with one-shot polls, unless the application has said
     * otherwise. Netty 4.2.18 waits with a multishot poll, which reports a change of state, not a state: when
     * a client's last bytes and its reset are both queued before the server reads, the read takes the bytes,
     * the socket's receive queue is then empty, so Netty waits for the poll's next report, and none comes
     * (the reset has already happened). The connection stayed open until the sweep found it. A one-shot poll
     * is armed anew after each read, sees the reset at once, and costs one submission per read loop
     * (docs/benchmarks.md, "Transport"). Must run before Netty's {@link IoUring} class initializes, which
     * reads the property once: this class's initializer does it, and {@link #available} is how jecho and its
     * tests ask about io_uring.
     */
    private static void pollInOnceAtATime() {
        if (System.getProperty(IO_URING_MULTISHOT_POLL) == null) {
            System.setProperty(IO_URING_MULTISHOT_POLL, "false");
        }
    }

    /**
     * Whether a native transport can load here; {@code AUTO} and NIO always can.
     *
     * @param transport the transport
     * @return whether {@link #select} would give it
     */
    public static boolean available(Transport transport) {
        return switch (transport) {
            case EPOLL -> Epoll.isAvailable();
            case IO_URING -> IoUring.isAvailable();
            case AUTO, NIO -> true;
        };
    }


    private final Transport kind;
    private final IoHandlerFactory ioHandlerFactory;
    private final Class<? extends ServerChannel> serverSocketChannel;
    private final Class<? extends Channel> socketChannel;
    private final Class<? extends Channel> datagramChannel;
    private final Class<? extends ServerChannel> serverDomainChannel;
    private final Class<? extends Channel> domainChannel;

    private NettyTransport(Transport kind, IoHandlerFactory ioHandlerFactory,
                           Class<? extends ServerChannel> serverSocketChannel,
                           Class<? extends Channel> socketChannel,
                           Class<? extends Channel> datagramChannel,
                           Class<? extends ServerChannel> serverDomainChannel,
                           Class<? extends Channel> domainChannel) {
        this.kind = kind;
        this.ioHandlerFactory = ioHandlerFactory;
        this.serverSocketChannel = serverSocketChannel;
        this.socketChannel = socketChannel;
        this.datagramChannel = datagramChannel;
        this.serverDomainChannel = serverDomainChannel;
        this.domainChannel = domainChannel;
    }

    /**
     * Resolves a requested transport. {@code AUTO} takes epoll when its native library loads, else NIO.
     * Not io_uring, although it answered requests faster over TCP (docs/benchmarks.md): with Netty
     * 4.2.18's io_uring, a connection whose client resets it while the server is still reading a long line
     * stays open (every time, in a loopback test) until the connection sweep finds the kernel has
     * closed it ({@link TcpInfo#resetUnnoticed}); epoll closes it at once. A server that holds on to the
     * connections of misbehaving clients is worse than one a few percent slower.
     *
     * @throws TransportUnavailableException if an explicitly requested native transport cannot load
     */
    public static NettyTransport select(Transport requested) {
        return switch (requested) {
            case AUTO -> Epoll.isAvailable() ? epoll() : nio();
            case EPOLL -> {
                if (!Epoll.isAvailable()) {
                    throw new TransportUnavailableException("epoll", Epoll.unavailabilityCause());
                }
                yield epoll();
            }
            case IO_URING -> {
                if (!IoUring.isAvailable()) {
                    throw new TransportUnavailableException("io_uring", IoUring.unavailabilityCause());
                }
                yield ioUring();
            }
            case NIO -> nio();
        };
    }

    private static NettyTransport epoll() {
        return new NettyTransport(Transport.EPOLL, EpollIoHandler.newFactory(),
                EpollServerSocketChannel.class, EpollSocketChannel.class, EpollDatagramChannel.class,
                EpollServerDomainSocketChannel.class, EpollDomainSocketChannel.class);
    }

    private static NettyTransport ioUring() {
        return new NettyTransport(Transport.IO_URING, IoUringIoHandler.newFactory(),
                IoUringServerSocketChannel.class, IoUringSocketChannel.class, IoUringDatagramChannel.class,
                IoUringServerDomainSocketChannel.class, IoUringDomainSocketChannel.class);
    }

    private static NettyTransport nio() {
        return new NettyTransport(Transport.NIO, NioIoHandler.newFactory(),
                NioServerSocketChannel.class, NioSocketChannel.class, NioDatagramChannel.class,
                NioServerDomainSocketChannel.class, NioDomainSocketChannel.class);
    }

    /**
     * Starts, on a thread of its own, what a client first waits for: loading and linking epoll's native
     * library, Netty's platform probes, and Netty's default allocator, which {@link dev.jecho.JechoClient}'s
     * channels use (not the pool). A command line calls it before parsing itself, so that on a second core
     * this overlaps the parsing; whichever thread reaches a class first initializes it, the other waits for
     * it, so nothing is done twice. This class's own initializer only sets a property, so calling it costs
     * the calling thread nothing (the pool, made on first use by {@link #buffers()}, is not touched).
     */
    public static void preloadForClient() {
        preload(() -> ByteBufAllocator.DEFAULT);
    }

    /** {@link #preloadForClient()} for a server or a benchmark: with the pooled buffers their channels use. */
    public static void preloadForPooledBuffers() {
        preload(NettyTransport::buffers);
    }

    private static void preload(Supplier<ByteBufAllocator> buffers) {
        Thread preload = new Thread(() -> {
            if (Epoll.isAvailable()) {
                EpollIoHandler.newFactory();
            }
            buffers.get().buffer(1).release();
        }, "jecho-preload");
        preload.setDaemon(true);
        preload.start();
    }

    /** The concrete transport ({@code EPOLL}, {@code IO_URING} or {@code NIO}, never {@code AUTO}). */
    public Transport kind() {
        return kind;
    }

    /**
     * A new event loop group of this transport with {@code threads} threads (at least one); how many is the
     * caller's policy (the server's and the bench's defaults differ).
     */
    public MultiThreadIoEventLoopGroup newGroup(int threads, String threadNamePrefix) {
        if (threads < 1) {
            throw new IllegalArgumentException("an event loop group needs at least one thread, got " + threads);
        }
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(threadNamePrefix, true), ioHandlerFactory);
    }

    public Class<? extends ServerChannel> serverChannel(Endpoint.Kind endpointKind) {
        return endpointKind == Endpoint.Kind.UNIX ? serverDomainChannel : serverSocketChannel;
    }

    public Class<? extends Channel> streamChannel(Endpoint.Kind endpointKind) {
        return endpointKind == Endpoint.Kind.UNIX ? domainChannel : socketChannel;
    }

    public Class<? extends Channel> datagramChannel() {
        return datagramChannel;
    }

    /**
     * The option that lets several datagram sockets bind one port (SO_REUSEPORT: the kernel spreads the sources
     * over them, each source to one socket), or null where Netty's channels of this transport do not offer it (NIO).
     */
    public ChannelOption<Boolean> reusePort() {
        return kind == Transport.NIO ? null : UnixChannelOption.SO_REUSEPORT;
    }

    /**
     * A listener channel over an inherited listening socket ({@link InheritedSocket}), or null when this transport
     * cannot take one over: Netty's epoll wraps a descriptor; its io_uring and NIO channels open their own.
     */
    public Channel adopt(InheritedSocket socket) {
        if (kind != Transport.EPOLL) {
            return null;
        }
        return switch (socket.endpoint().kind()) {
            case TCP -> new EpollServerSocketChannel(socket.fd());
            // active: the descriptor-only constructor assumes a socket not yet listening, and would never accept;
            // either leaves the socket file alone at close (it deletes only a file it bound itself)
            case UNIX -> new EpollServerDomainSocketChannel(socket.fd(), true);
            case UDP -> new EpollDatagramChannel(socket.fd());
        };
    }

    /**
     * Makes a stream channel's close end its connection at once on every transport: on io_uring it puts
     * {@link IoUringCloseGuard} first in the pipeline (a close could leave a poll holding the socket open);
     * other channels are left alone. Call from the channel's initializer, before adding anything else.
     */
    public static void closeAtOnce(Channel streamChannel) {
        IoUringCloseGuard.guard(streamChannel);
    }

    /** The socket address a channel of this transport takes for a Unix-socket path. */
    public SocketAddress domainAddress(Path path) {
        return kind == Transport.NIO ? UnixDomainSocketAddress.of(path) : new DomainSocketAddress(path.toFile());
    }

    /** The socket address to bind or connect for an endpoint (resolves host names). */
    public SocketAddress socketAddress(Endpoint endpoint) {
        return endpoint.kind() == Endpoint.Kind.UNIX ? domainAddress(endpoint.path()) : endpoint.inetSocketAddress();
    }

    /**
     * The receive-buffer allocator for a datagram channel: every read is one whole datagram of up to
     * {@code maxDatagram} bytes, and a wake-up reads up to 16 of them. Netty's own datagram default reads 16,
     * but an allocator set by hand starts at one per wake-up, which costs an epoll_wait per datagram and
     * defeats sendmmsg batching of the replies; and a datagram smaller than the buffer is no sign that the
     * socket is empty (NIO would stop reading on it).
     */
    public static RecvByteBufAllocator datagramReceiveAllocator(int maxDatagram) {
        FixedRecvByteBufAllocator allocator = new FixedRecvByteBufAllocator(maxDatagram);
        allocator.respectMaybeMoreData(false);
        allocator.maxMessagesPerRead(DATAGRAMS_PER_READ);
        return allocator;
    }

    private static final int DATAGRAMS_PER_READ = 16;

    /**
     * Sends a zero-length datagram. Netty's epoll and NIO datagram channels skip empty writes, but an
     * empty datagram is a real message (the article's client sends one on an empty line) and deserves its
     * empty reply, so it goes straight to the socket. Call on the channel's event loop.
     */
    public static void sendEmptyDatagram(Channel channel, InetSocketAddress recipient) throws IOException {
        if (channel instanceof EpollDatagramChannel epoll) {
            ((Socket) epoll.fd()).sendTo(EMPTY_DIRECT, 0, 0, recipient.getAddress(), recipient.getPort());
        } else if (channel instanceof NioDatagramChannel nio) {
            NioJavaChannel.of(nio).send(ByteBuffer.allocate(0), recipient);
        } else {
            channel.writeAndFlush(new DatagramPacket(Unpooled.EMPTY_BUFFER, recipient));
        }
    }

    private static final ByteBuffer EMPTY_DIRECT = ByteBuffer.allocateDirect(1);

    /** NIO's datagram channel keeps its JDK channel behind a protected accessor. */
    private static final class NioJavaChannel {
        private static final Method JAVA_CHANNEL;

        static {
            try {
                JAVA_CHANNEL = AbstractNioChannel.class.getDeclaredMethod("javaChannel");
                JAVA_CHANNEL.setAccessible(true);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        static java.nio.channels.DatagramChannel of(NioDatagramChannel channel) throws IOException {
            try {
                return (java.nio.channels.DatagramChannel) JAVA_CHANNEL.invoke(channel);
            } catch (ReflectiveOperationException e) {
                throw new IOException("cannot reach the NIO datagram socket", e);
            }
        }
    }

    @Override
    public String toString() {
        return kind.cliName();
    }
}
