package dev.jecho.cli;

import dev.jecho.testing.LogCapture;
import io.netty.util.internal.logging.InternalLogger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/** Netty's loggers for a client at the default verbosity: warnings and errors logged as before, nothing else. */
class NettyWarningsOnlyTest {

    @Test
    void nettysWarningsAndErrorsReachTheLogUnderTheirClassNamesAndItsDebugAndInfoLinesAreDropped() {
        NettyWarningsOnly factory = new NettyWarningsOnly();
        InternalLogger netty = factory.newInstance("io.netty.channel.Example");
        try (LogCapture log = LogCapture.start()) {
            netty.trace("traced");
            netty.debug("debug {}", 1);
            netty.info("informed {} {}", 1, 2);
            netty.warn("warned {} {}", 1, 2);
            netty.error("failed", new IOException("broken"));
            assertThat(log.lines()).containsExactly("warned 1 2", "failed");
            assertThat(log.events()).allSatisfy(event -> assertThat(event.getLoggerName()).isEqualTo("io.netty.channel.Example"));
            assertThat(log.events().get(1).getThrowableProxy().getMessage()).isEqualTo("broken");
        }
        assertThat(netty.isTraceEnabled()).isFalse();
        assertThat(netty.isDebugEnabled()).isFalse();
        assertThat(netty.isInfoEnabled()).isFalse();
        assertThat(netty.isWarnEnabled()).isTrue();
        assertThat(netty.isErrorEnabled()).isTrue();
    }

    @Test
    void aLoggerOutsideNettyIsSlf4jsAsItWouldBe() {
        InternalLogger other = new NettyWarningsOnly().newInstance("org.example.Library");
        assertThat(other.isInfoEnabled()).isEqualTo(LoggerFactory.getLogger("org.example.Library").isInfoEnabled());
        try (LogCapture log = LogCapture.start()) {
            other.info("informed");
            assertThat(log.lines()).containsExactly("informed");
        }
    }
}
