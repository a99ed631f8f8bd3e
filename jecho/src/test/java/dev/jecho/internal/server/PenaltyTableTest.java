package dev.jecho.internal.server;

import dev.jecho.internal.server.PenaltyPolicy.Offence;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** OpenSSH's PerSourcePenalties arithmetic: accumulate, activate past min, cap at max, expire, stay bounded. */
class PenaltyTableTest {

    private static final long S = 1_000_000_000L;
    private final PenaltyPolicy policy = new PenaltyPolicy(Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(1), Duration.ofSeconds(15), Duration.ofSeconds(60), 3);
    private final PenaltyTable<InetAddress> table = new PenaltyTable<>(policy);

    private static InetAddress ip(int last) throws UnknownHostException {
        return InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) last});
    }

    @Test
    void offencesAccumulateAndTheSourceIsRefusedOnlyPastTheMinimum() throws Exception {
        assertThat(table.penalise(ip(1), Offence.TIMEOUT, 0)).isFalse();        // 10 s
        assertThat(table.refusing(ip(1), 0)).isNull();
        assertThat(table.penalise(ip(1), Offence.AUTH_FAIL, 0)).isFalse();      // 15 s: not more than min
        assertThat(table.penalise(ip(1), Offence.REFUSED, 0)).isTrue();         // 16 s
        assertThat(table.refusing(ip(1), 0)).isNotNull();
        assertThat(table.refusing(ip(1), 15 * S).last).isEqualTo(Offence.REFUSED);
        assertThat(table.refusing(ip(1), 16 * S)).as("expired").isNull();
        assertThat(table.size()).isZero();
    }

    @Test
    void aPenaltyNeverExceedsTheMaximumFromNow() throws Exception {
        for (int i = 0; i < 100; i++) {
            table.penalise(ip(1), Offence.TIMEOUT, 0);
        }
        assertThat(table.remaining(ip(1), 0)).isEqualTo(60 * S);
        assertThat(table.refusing(ip(1), 59 * S)).isNotNull();
        assertThat(table.refusing(ip(1), 60 * S)).isNull();
    }

    @Test
    void penaltiesDecayWithTimeSoSlowOffencesNeverActivate() throws Exception {
        for (int i = 0; i < 20; i++) {
            table.penalise(ip(1), Offence.AUTH_FAIL, i * 6 * S); // 5 s every 6 s: the debt never builds up
            assertThat(table.refusing(ip(1), i * 6 * S)).isNull();
        }
    }

    @Test
    void theTableIsBoundedAndDropsThePenaltiesClosestToExpiryFirst() throws Exception {
        table.penalise(ip(1), Offence.TIMEOUT, 0);   // expires at 10 s
        table.penalise(ip(2), Offence.REFUSED, 0);   // 1 s
        table.penalise(ip(3), Offence.AUTH_FAIL, 0); // 5 s
        table.penalise(ip(4), Offence.TIMEOUT, 0);   // 10 s: the table holds 3, ip(2) goes
        assertThat(table.size()).isEqualTo(3);
        assertThat(table.remaining(ip(2), 0)).isZero();
        assertThat(table.remaining(ip(1), 0)).isEqualTo(10 * S);
        assertThat(table.remaining(ip(4), 0)).isEqualTo(10 * S);
    }

    @Test
    void aPolicyThatIsOffPenalisesNobody() throws Exception {
        PenaltyTable off = new PenaltyTable(PenaltyPolicy.OFF);
        for (int i = 0; i < 10; i++) {
            off.penalise(ip(1), Offence.TIMEOUT, 0);
        }
        assertThat(off.refusing(ip(1), 0)).isNull();
        assertThat(off.size()).isZero();
    }
}
