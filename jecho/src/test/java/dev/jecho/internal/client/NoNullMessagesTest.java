package dev.jecho.internal.client;

import dev.jecho.ClientException;
import dev.jecho.Endpoint;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exceptions without a message (Netty's ClosedChannelException, a bare IOException or ConnectException)
 * once made the client say "...: null". Every message says what happened instead.
 */
class NoNullMessagesTest {

    @Test
    void aConnectFailureWithoutAMessageIsNamedByItsKind() {
        ClientException e = ConnectErrors.describe(Endpoint.tcp("127.0.0.1", 1), null, new ConnectException());
        assertThat(e.getMessage()).isEqualTo("cannot connect to tcp://127.0.0.1:1: ConnectException");
    }

    @Test
    void describeTakesTheFirstMessageInTheCauseChainElseTheKind() {
        assertThat(Causes.describe(new ClosedChannelException())).isEqualTo("connection closed");
        assertThat(Causes.describe(new IllegalStateException(null, new IOException("Broken pipe")))).isEqualTo("Broken pipe");
        assertThat(Causes.describe(new IOException(" "))).isEqualTo("IOException");
        assertThat(Causes.describe(null)).isEqualTo("unknown failure");
    }
}
