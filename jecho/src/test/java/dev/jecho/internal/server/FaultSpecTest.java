package dev.jecho.internal.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one syntax of --fault, Fault.parse and the HTTP API. */
class FaultSpecTest {

    @Test
    void readsTheIssuesExamples() {
        FaultSpec latency = FaultSpec.parse("latency=50ms,jitter=10ms");
        assertThat(latency.type()).isEqualTo(FaultType.LATENCY);
        assertThat(latency.time()).isEqualTo(Duration.ofMillis(50));
        assertThat(latency.jitter()).isEqualTo(Duration.ofMillis(10));
        assertThat(latency.toxicity()).isEqualTo(1.0);
        assertThat(latency.upstream()).isFalse();

        FaultSpec reset = FaultSpec.parse("reset-after=64KiB;toxicity=0.1");
        assertThat(reset.type()).isEqualTo(FaultType.RESET_AFTER);
        assertThat(reset.bytes()).isEqualTo(65536);
        assertThat(reset.time()).isNull();
        assertThat(reset.toxicity()).isEqualTo(0.1);
    }

    @Test
    void limitsTakeBytesOrATime() {
        assertThat(FaultSpec.parse("stall=2s").time()).isEqualTo(Duration.ofSeconds(2));
        assertThat(FaultSpec.parse("stall=2s").bytes()).isEqualTo(-1);
        assertThat(FaultSpec.parse("close-after=1000").bytes()).isEqualTo(1000);
        assertThat(FaultSpec.parse("stall").bytes()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"latency=50ms,jitter=10ms", "bandwidth=64KiB", "slice=1-16,delay=5ms", "slice=8", "stall=1KiB",
            "stall=2s", "close-after=100", "reset-after=64KiB,toxicity=0.1", "slow-close=1s", "refuse,toxicity=0.25",
            "corrupt=1KiB,stream=up", "latency=5ms,stream=up,name=slow-requests", "loss=0.05,burst=3", "duplicate=0.5",
            "reorder=0.25,delay=30ms", "delay=20ms,jitter=5ms", "truncate=16"})
    void theCanonicalFormReadsBackEqual(String spec) {
        FaultSpec f = FaultSpec.parse(spec);
        assertThat(FaultSpec.parse(f.toString())).isEqualTo(f);
        assertThat(f.toString()).isEqualTo(spec);
    }

    @Test
    void namesDefaultToTheTypeAndDirection() {
        assertThat(FaultSpec.parse("latency=1ms").name()).isEqualTo("latency");
        assertThat(FaultSpec.parse("latency=1ms;stream=upstream").name()).isEqualTo("latency-upstream");
        assertThat(FaultSpec.parse("loss=10%").fraction()).isEqualTo(0.1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "latncy=5ms|fault 'latncy=5ms': unknown fault 'latncy' (stream: latency, bandwidth, slice, stall, close-after, reset-after, slow-close, refuse, corrupt; datagram: loss, duplicate, reorder, delay, truncate)",
            "latency|fault 'latency': latency needs a time such as 50ms (latency=...)",
            "latency=5ms,burst=3|fault 'latency=5ms,burst=3': burst does not apply to latency",
            "loss=2|fault 'loss=2': loss takes a fraction from 0 to 1 (0.1 or 10%), got '2'",
            "loss=0.1,toxicity=0.5|fault 'loss=0.1,toxicity=0.5': toxicity does not apply to loss (a datagram fault acts on the replies; its own fraction says how often)",
            "slice=16-8|fault 'slice=16-8': slice range 16-8 ends below where it starts",
            "refuse=1|fault 'refuse=1': refuse takes no value (use toxicity=FRACTION for a share of connections)",
            "latency=5ms,stream=sideways|fault 'latency=5ms,stream=sideways': stream is down (the replies) or up (the requests), got 'sideways'",
            "latency=5ms,jitter|fault 'latency=5ms,jitter': 'jitter' is not KEY=VALUE",
    })
    void badSpecsSayWhatIsWrongInOneLine(String spec, String message) {
        assertThatThrownBy(() -> FaultSpec.parse(spec)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }
}
