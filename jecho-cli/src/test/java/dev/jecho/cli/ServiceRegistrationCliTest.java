package dev.jecho.cli;

import dev.jecho.JechoServer;
import dev.jecho.Service;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A new service for the command line is one class and one line in {@code META-INF/services/dev.jecho.Service}
 * ({@link ReverseLines}, registered in the test resources): the registry finds it after the built-ins, and
 * {@code --service}, its help, its completion (CompletionTest) and its errors, and {@code client --expect}, take it.
 */
class ServiceRegistrationCliTest {

    @Test
    void aRegisteredServiceComesAfterTheBuiltInsAndIsTakenByName() {
        assertThat(Service.registered()).extracting(Service::name)
                .containsExactly("echo", "upper", "discard", "chargen", "reverse", "rot13");
        assertThat(new Converters.ServiceName().convert("reverse")).isInstanceOf(ReverseLines.class);
    }

    @Test
    void theServersHelpAndErrorsNameIt() {
        CliTestSupport.Result help = CliTestSupport.run("", "server", "--help");
        assertThat(help.out().replaceAll("\\s+", " ")).contains("What a message gets back: echo, upper, discard, chargen, reverse, rot13");
        assertThat(help.out()).containsPattern("(?m)^  reverse +each line reversed \\(a test's own service\\)$");
        CliTestSupport.Result unknown = CliTestSupport.run("", "server", "--service", "rot14");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.errLines()).containsExactly(
                "jecho: unknown service 'rot14': use echo, upper, discard, chargen, reverse or rot13 (see 'jecho server --help')");
    }

    @Test
    void theClientExpectsItByNameAndGetsEachMessagesReply() throws Exception {
        try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).service(Service.named("reverse"))
                .logConnections(false).start()) {
            CliTestSupport.Result r = CliTestSupport.run("stressed\nlive\n", "client", server.boundEndpoints().get(0).toString(),
                    "--expect", "reverse");
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).isEqualTo("desserts\nevil\n");
        }
    }

    /**
     * A registered byte service is one the client and the bench can detect with nothing said: they ask each
     * registered service what a reply would be. (The bench's datagrams go untagged: rot13 changes hex digits.)
     */
    @Test
    void theClientAndTheBenchDetectARegisteredByteServiceByAskingIt() throws Exception {
        try (JechoServer server = JechoServer.builder().tcp("127.0.0.1", 0).udp("127.0.0.1", 0).service(Service.named("rot13"))
                .limitExempt("127.0.0.0/8").logConnections(false).start()) {
            String tcp = server.boundEndpoints().get(0).toString();
            CliTestSupport.Result client = CliTestSupport.run("", "client", tcp, "-m", "Hello, World");
            assertThat(client.exitCode()).as(client.err()).isZero();
            assertThat(client.out()).isEqualTo("Uryyb, Jbeyq\n");

            for (String url : new String[] {tcp, server.boundEndpoints().get(1).toString()}) {
                CliTestSupport.Result bench = CliTestSupport.run("", "bench", url, "-d", "500ms", "-w", "0", "-q");
                assertThat(bench.exitCode()).as(bench.out() + bench.err()).isZero();
                assertThat(bench.out()).contains(", check rot13 (detected), ", "errors: none");
            }
            CliTestSupport.Result udp = CliTestSupport.run("", "bench", server.boundEndpoints().get(1).toString(), "-d", "500ms", "-w", "0", "-q");
            assertThat(udp.out()).as("rot13 changes the tags' hex digits, so the bench sends none")
                    .contains("(untagged: duplicates and reordering not detected; they need a --check whose service leaves"
                            + " hex digits unchanged, as upper and echo do, and --size 8 or more)");
        }
    }
}
