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
        assertThat(Service.registered()).extracting(Service::name).containsExactly("echo", "upper", "discard", "chargen", "reverse");
        assertThat(new Converters.ServiceName().convert("reverse")).isInstanceOf(ReverseLines.class);
    }

    @Test
    void theServersHelpAndErrorsNameIt() {
        CliTestSupport.Result help = CliTestSupport.run("", "server", "--help");
        assertThat(help.out().replaceAll("\\s+", " ")).contains("What a message gets back: echo, upper, discard, chargen, reverse");
        assertThat(help.out()).containsPattern("(?m)^  reverse +each line reversed \\(a test's own service\\)$");
        CliTestSupport.Result unknown = CliTestSupport.run("", "server", "--service", "rot13");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.errLines()).containsExactly(
                "jecho: unknown service 'rot13': use echo, upper, discard, chargen or reverse (see 'jecho server --help')");
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
}
