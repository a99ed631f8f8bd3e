package dev.jecho.internal.transport;

import dev.jecho.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelOption;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The socket options the client and the server share: set where the caller says, the kernel's defaults left alone. */
class SocketOptionsTest {

    @Test
    void tcpOptionsAndBufferSizesGoWhereTheCallerSays() {
        SocketOptions options = new SocketOptions(false, true, 65536, 0);
        ServerBootstrap server = new ServerBootstrap();
        options.tcp(server::childOption);
        options.buffers(server::childOption);
        assertThat(server.config().childOptions()).containsExactlyInAnyOrderEntriesOf(Map.of(
                ChannelOption.TCP_NODELAY, false, ChannelOption.SO_KEEPALIVE, true, ChannelOption.SO_RCVBUF, 65536));
        assertThat(server.config().options()).as("the listener's own options are untouched").isEmpty();

        Bootstrap datagram = new Bootstrap();
        options.buffers(datagram::option);
        assertThat(datagram.config().options()).as("no TCP options on a socket that is not TCP")
                .containsExactlyEntriesOf(Map.of(ChannelOption.SO_RCVBUF, 65536));
    }

    @Test
    void eachConnectionGetsOnlyWhatNettyAndTheKernelDoNotGiveItAlready() {
        ServerBootstrap defaults = new ServerBootstrap();
        new SocketOptions(true, false, 0, 0).tcp(defaults::childOption);
        assertThat(defaults.config().childOptions()).as("TCP_NODELAY is on in every new Netty channel, keepalive off in every new socket")
                .isEmpty();

        ServerBootstrap nativeListener = new ServerBootstrap();
        new SocketOptions(true, true, 0, 0).accepted(Transport.EPOLL, nativeListener::option, nativeListener::childOption);
        assertThat(nativeListener.config().childOptions()).as("nothing set on each accepted connection").isEmpty();
        assertThat(nativeListener.config().options()).as("keepalive set once, on the listener the connections inherit it from")
                .containsExactlyEntriesOf(Map.of(SocketOptions.LISTENER_KEEPALIVE, 1));

        ServerBootstrap nioListener = new ServerBootstrap();
        new SocketOptions(false, true, 0, 0).accepted(Transport.NIO, nioListener::option, nioListener::childOption);
        assertThat(nioListener.config().options()).as("NIO's listener takes no keepalive").isEmpty();
        assertThat(nioListener.config().childOptions()).containsExactlyInAnyOrderEntriesOf(Map.of(
                ChannelOption.TCP_NODELAY, false, ChannelOption.SO_KEEPALIVE, true));
    }

    @Test
    void sizesOfZeroKeepTheKernelsDefaultsAndNegativeOnesAreRefused() {
        Bootstrap b = new Bootstrap();
        new SocketOptions(true, false, 0, 0).buffers(b::option);
        assertThat(b.config().options()).isEmpty();
        assertThatThrownBy(() -> new SocketOptions(true, false, -1, 0))
                .hasMessage("socket buffer sizes must be 0 (kernel default) or more");
    }
}
