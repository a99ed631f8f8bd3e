package dev.jecho.cli;

import dev.jecho.Endpoint;
import dev.jecho.JechoServer;
import dev.jecho.Service;
import dev.jecho.internal.server.Cidr;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * discard and chargen as a user meets them on the command line: the server refuses chargen on UDP, the client
 * says what it met or refuses what it cannot print, and the bench measures one-way throughput to and from them.
 */
class InetdCliTest {

    private static JechoServer discard;
    private static JechoServer chargen;

    @BeforeAll
    static void start() throws Exception {
        discard = JechoServer.builder().tcp("127.0.0.1", 0).service(Service.DISCARD).logConnections(false)
                .limitExempt("127.0.0.0/8").start();
        chargen = JechoServer.builder().tcp("127.0.0.1", 0).service(Service.CHARGEN).logConnections(false)
                .limitExempt("127.0.0.0/8").start();
    }

    @AfterAll
    static void stop() {
        discard.close();
        chargen.close();
    }

    private static String url(JechoServer server) {
        return server.boundEndpoints().get(0).toString();
    }

    @Test
    void chargenOnUdpIsAUsageErrorNamingTheCve() {
        CliTestSupport.Result r = CliTestSupport.run("", "server", "--service", "chargen", "--udp", "127.0.0.1:0");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).singleElement().asString().startsWith("jecho: service chargen does not run on UDP (udp://127.0.0.1:0)")
                .contains("CVE-1999-0103").endsWith("(see 'jecho server --help')");
    }

    @Test
    void theClientNamesChargenAndRefusesToWaitForDiscard() {
        CliTestSupport.Result met = CliTestSupport.run("", "client", url(chargen), "-m", "hi");
        assertThat(met.exitCode()).isEqualTo(ExitCodes.AUTH);
        assertThat(met.out()).isEmpty();
        assertThat(met.errLines()).containsExactly("jecho: " + url(chargen) + " sends without being asked, as a chargen server"
                + " does; jecho client prints replies (read it with nc, or measure it with jecho bench --mode download)");

        CliTestSupport.Result told = CliTestSupport.run("", "client", url(discard), "--expect", "discard", "-m", "hi");
        assertThat(told.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(told.errLines()).containsExactly("jecho: discard answers nothing, so there is no reply to wait for (send to"
                + " it with nc, or measure it with jecho bench --mode upload) (see 'jecho client --help')");
    }

    @Test
    void benchUploadsToDiscardAndDownloadsFromChargen() {
        CliTestSupport.Result up = CliTestSupport.run("", "bench", url(discard), "--mode", "upload", "--size", "65536",
                "-d", "500ms", "-w", "0");
        assertThat(up.exitCode()).as(up.err()).isZero();
        assertThat(up.out()).startsWith("jecho bench: upload, 1 connection, 65536 B, check discard, 500ms;")
                .containsPattern("(?m)^ +chunks +chunks/s +MB/s +p50 .* errors$").contains("errors: none");
        assertThat(up.err()).containsPattern("(?m)^tcp +1s +\\S+ MB/s +errors 0$").as("the live line");

        CliTestSupport.Result down = CliTestSupport.run("", "bench", url(chargen), "--mode", "download", "-c", "2",
                "-d", "500ms", "-w", "0", "--json");
        assertThat(down.exitCode()).as(down.err()).isZero();
        assertThat(down.out()).contains("\"mode\" : \"download\"", "\"check\" : \"chargen\"", "\"check_detected\" : true");
    }

    @Test
    void benchRefusesACheckThatIsNoServiceAndOneTheModeCannotHold() {
        CliTestSupport.Result unknown = CliTestSupport.run("", "bench", "--check", "rot14");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.errLines()).singleElement().asString()
                .startsWith("jecho: unknown check 'rot14': use auto, none or a service (echo, upper, discard, chargen");
        CliTestSupport.Result wrong = CliTestSupport.run("", "bench", url(discard), "--check", "discard");
        assertThat(wrong.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(wrong.errLines()).containsExactly("jecho: discard answers nothing: measure it with --mode upload (see 'jecho bench --help')");
    }
}
