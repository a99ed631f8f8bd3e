package dev.jecho.cli;

import dev.jecho.Fault;
import dev.jecho.JechoServer;
import dev.jecho.Service;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code jecho client} against a server that misbehaves on purpose: it says what it met, in one line. */
@Timeout(60)
class ClientAgainstFaultsCliTest {

    /** What the client printed and how it ended, and how long it took. */
    record Run(String url, CliTestSupport.Result result, long millis) {
        String said() {
            return (result.out() + result.err()).strip();
        }
    }

    private static Run client(String fault, boolean udp, String... args) throws Exception {
        var b = JechoServer.builder().service(Service.ECHO).faultSeed(3).udpRateLimit(0, 0).fault(Fault.parse(fault));
        try (JechoServer server = (udp ? b.udp("127.0.0.1", 0) : b.tcp("127.0.0.1", 0)).start()) {
            String[] all = new String[args.length + 2];
            all[0] = "client";
            all[1] = server.boundEndpoints().get(0).toString();
            System.arraycopy(args, 0, all, 2, args.length);
            long t0 = System.nanoTime();
            CliTestSupport.Result r = CliTestSupport.run("", all);
            Run run = new Run(all[1], r, (System.nanoTime() - t0) / 1_000_000);
            System.out.printf(Locale.ROOT, "CLIENT %-16s | exit %d in %4d ms | %s%n", fault, r.exitCode(), run.millis(),
                    run.said().replace('\n', '/'));
            return run;
        }
    }

    @Test
    void latencyIsWaitedFor() throws Exception {
        Run r = client("latency=300ms", false, "-m", "hello", "--timeout", "5s");
        assertThat(r.result().exitCode()).isZero();
        assertThat(r.said()).isEqualTo("hello");
        assertThat(r.millis()).isGreaterThanOrEqualTo(300);
    }

    @Test
    void aStallIsAReadTimeout() throws Exception {
        Run r = client("stall", false, "-m", "hello", "--timeout", "500ms");
        assertThat(r.result().exitCode()).isEqualTo(ExitCodes.TIMEOUT);
        assertThat(r.said()).startsWith("jecho: no complete reply from tcp://127.0.0.1:").contains("within 500 ms (got 0 of 5 bytes");
    }

    @Test
    void aResetIsReportedAsAReset() throws Exception {
        Run r = client("reset-after=2", false, "-m", "hello", "--timeout", "5s");
        assertThat(r.result().exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(r.said()).isEqualTo("jecho: the server reset the connection (an RST, not a clean close: it aborted the"
                + " connection, or closed it with requests unread)");
    }

    @Test
    void anEarlyCloseIsAClosedConnection() throws Exception {
        Run r = client("close-after=2", false, "-m", "hello", "--timeout", "5s");
        assertThat(r.result().exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(r.said()).isEqualTo("jecho: the server closed the connection");
    }

    @Test
    void aRefusalIsNamedAsOne() throws Exception {
        Run r = client("refuse", false, "-m", "hello", "--timeout", "5s");
        assertThat(r.result().exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        // Before or after the message went out, as the race goes: either way it says the server may have refused it.
        // A close with the message unread is a reset, and said so.
        assertThat(r.said()).startsWith("jecho: ").containsPattern("(closed|reset) the connection").contains("refused this client");
    }

    @Test
    void aCorruptReplyFailsTheCheck() throws Exception {
        Run r = client("corrupt=3", false, "-m", "hello", "--timeout", "5s", "--expect", "echo");
        assertThat(r.result().exitCode()).isEqualTo(ExitCodes.AUTH);
        assertThat(r.said()).contains("is not what echo gives for the message (sent 0x68656c6c6f, got 0x6865");
    }

    @Test
    void aTruncatedDatagramFailsTheCheck() throws Exception {
        Run r = client("truncate=2", true, "-m", "hello", "--timeout", "2s", "--expect", "echo");
        assertThat(r.result().exitCode()).isEqualTo(ExitCodes.AUTH);
        assertThat(r.said()).isEqualTo("jecho: the reply from " + r.url() + " is not what echo gives for the message"
                + " (sent 0x68656c6c6f, got 0x6865: 2 bytes for 5; cut or changed on its way, or the server runs another service)");
    }

    @Test
    void aTruncatedDatagramIsNoSuccessWithoutExpectEither() throws Exception {
        Run r = client("truncate=2", true, "-m", "hello", "--timeout", "2s");
        assertThat(r.result().exitCode()).isEqualTo(ExitCodes.AUTH);
        assertThat(r.said()).startsWith("jecho: the reply from udp://").contains(" is not an echo of the message (sent 0x68656c6c6f,"
                + " got 0x6865: 2 bytes for 5;");
    }

    @Test
    void udpLossesAreRetriedAndAllLostIsSaidSo() throws Exception {
        Run some = client("loss=0.5", true, "-m", "hello", "--timeout", "200ms", "--retries", "5");
        assertThat(some.result().exitCode()).as("seed 3 loses fewer than 6 in a row").isZero();
        Run all = client("loss=1", true, "-m", "hello", "--timeout", "200ms", "--retries", "2");
        assertThat(all.result().exitCode()).isEqualTo(ExitCodes.TIMEOUT);
        assertThat(all.said()).endsWith("after 3 attempts of 200 ms (lost)");
    }
}
