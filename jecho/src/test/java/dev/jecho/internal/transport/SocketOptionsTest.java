package dev.jecho.internal.transport;

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
    void sizesOfZeroKeepTheKernelsDefaultsAndNegativeOnesAreRefused() {
        Bootstrap b = new Bootstrap();
        new SocketOptions(true, false, 0, 0).buffers(b::option);
        assertThat(b.config().options()).isEmpty();
        assertThatThrownBy(() -> new SocketOptions(true, false, -1, 0))
                .hasMessage("socket buffer sizes must be 0 (kernel default) or more");
    }
}
