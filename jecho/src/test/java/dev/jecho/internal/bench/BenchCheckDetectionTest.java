package dev.jecho.internal.bench;

import dev.jecho.BenchConfig;
import dev.jecho.BenchException;
import dev.jecho.BenchReport;
import dev.jecho.Endpoint;
import dev.jecho.JechoServer;
import dev.jecho.Service;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --check auto}, the default: the first reply of a run decides between echo and upper, every mode
 * and message kind is then held to it, and the summary says what was checked. Against in-process jecho
 * servers of each service (which exempt loopback from their limits, as a load test's server would) and
 * against fakes that answer neither. Each run is a few hundred milliseconds.
 */
class BenchCheckDetectionTest {

    @TempDir
    static Path dir;

    /** Per service: TCP, UDP and a Unix socket, raw bytes. */
    private static final Map<Service, JechoServer> RAW = new HashMap<>();
    /** Per service: TCP, JSON Lines. */
    private static final Map<Service, JechoServer> JSON = new HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        for (Service service : new Service[] {Service.ECHO, Service.UPPER}) {
            RAW.put(service, server(service).tcp("127.0.0.1", 0).udp("127.0.0.1", 0)
                    .unix(dir.resolve(service.name() + ".sock")).start());
            JSON.put(service, server(service).tcp("127.0.0.1", 0).json(true).start());
        }
    }

    private static dev.jecho.ServerConfig.Builder server(Service service) {
        return JechoServer.builder().service(service).logConnections(false).limitExempt("127.0.0.0/8");
    }

    @AfterAll
    static void stop() {
        RAW.values().forEach(JechoServer::close);
        JSON.values().forEach(JechoServer::close);
    }

    private static Endpoint endpoint(JechoServer server, Endpoint.Kind kind) {
        return server.boundEndpoints().stream().filter(e -> e.kind() == kind).findFirst().orElseThrow();
    }

    /** The default check: nothing said about it. */
    private static BenchConfig.Builder workload(Endpoint endpoint) {
        return BenchConfig.builder(endpoint).connections(2).duration(Duration.ofMillis(300)).warmup(Duration.ZERO)
                .connectTimeout(Duration.ofSeconds(5));
    }

    private static RunResult run(BenchConfig config) throws BenchException {
        return new LoadRun(config, null, null, new Cancellation()).run();
    }

    /** Zero errors, replies counted, and the result says it checked the service's replies, detected. */
    private static void assertDetected(RunResult r, Service service, String what) {
        String check = service == Service.UPPER ? "upper" : "echo";
        assertThat(r.errorTotal()).as("%s: errors %s", what, Arrays.toString(r.errors())).isZero();
        assertThat(r.requests()).as(what).isPositive();
        assertThat(r.config().path("check").asText()).as(what).isEqualTo(check);
        assertThat(r.config().path("check_detected").asBoolean()).as(what).isTrue();
        assertThat(r.description()).as(what).contains("check " + check + " (detected)");
        assertThat(r.checkPhrase()).as(what).isEqualTo(check + " (detected)");
    }

    static Stream<Service> echoAndUpper() {
        return Stream.of(Service.ECHO, Service.UPPER);
    }

    @ParameterizedTest
    @MethodSource("echoAndUpper")
    void everyModeLearnsTheServiceFromTheFirstReplyAndCountsNoErrors(Service service) throws Exception {
        JechoServer raw = RAW.get(service);
        Endpoint tcp = endpoint(raw, Endpoint.Kind.TCP);
        assertThat(workload(tcp).build().check()).as("the default: auto").isNull();
        assertThat(workload(tcp).build().checksReplies()).as("the default: auto").isTrue();

        assertDetected(run(workload(tcp).pipeline(4).size(1, 3000).build()), service, "rr");
        assertDetected(run(workload(endpoint(raw, Endpoint.Kind.UNIX)).build()), service, "rr over a Unix socket");
        assertDetected(run(workload(tcp).mode(BenchConfig.Mode.CONNECT).build()), service, "connect");
        assertDetected(run(workload(tcp).mode(BenchConfig.Mode.BULK).size(10_000).build()), service, "bulk");
        RunResult hold = run(workload(tcp).mode(BenchConfig.Mode.HOLD).connections(5).build());
        assertDetected(hold, service, "hold");
        assertThat(hold.hold().alive()).isEqualTo(5);
        RunResult udp = run(workload(endpoint(raw, Endpoint.Kind.UDP)).build());
        assertDetected(udp, service, "udp");
        assertThat(udp.datagrams().tagged()).as("auto checks, so datagrams carry their sequence numbers").isTrue();
        assertThat(udp.datagrams().lost()).isZero();
        assertDetected(run(workload(endpoint(JSON.get(service), Endpoint.Kind.TCP)).json(true).size(64).build()),
                service, "JSON Lines");
    }

    @Test
    void anExplicitCheckIsReportedAsGivenAndStillCountsTheWrongServiceAsMismatches() throws Exception {
        RunResult r = run(workload(endpoint(RAW.get(Service.UPPER), Endpoint.Kind.TCP)).check(Service.ECHO).build());

        assertThat(r.errors(ErrorClass.MISMATCH)).isPositive();
        assertThat(r.config().path("check").asText()).isEqualTo("echo");
        assertThat(r.config().path("check_detected").asBoolean()).isFalse();
        assertThat(r.description()).contains("check echo,");
    }

    @Test
    void aServerAnsweringGarbageStillGetsMismatchesOverStreamsAndDatagrams() throws Exception {
        try (FakeStreamServer stream = new FakeStreamServer(64, (n, c, k) -> FakeStreamServer.Action.garbage());
             FakeDatagramServer datagrams = FakeDatagramServer.garbage()) {
            for (RunResult r : new RunResult[] {run(workload(stream.endpoint()).build()),
                    run(workload(datagrams.endpoint()).build())}) {
                assertThat(r.errors(ErrorClass.MISMATCH)).as(r.label()).isPositive();
                assertThat(r.requests()).as(r.label()).isZero();
                assertThat(r.config().path("check").asText()).isEqualTo("auto");
                assertThat(r.config().path("check_detected").asBoolean()).isFalse();
                assertThat(r.description()).contains("check auto (undecided)");
                assertThat(details(r)).contains("mismatch: replies are what no registered service gives (echo, upper);"
                        + " --check none accepts any reply as long as its request");
            }
        }
    }

    /**
     * The check is learned once per run, not per connection: a server that echoes on its first connection
     * and upper-cases on every other fails the run, whichever connection answered first.
     */
    @Test
    void theFirstReplyDecidesForEveryConnectionOfTheRun() throws Exception {
        try (FakeStreamServer mixed = new FakeStreamServer(64,
                (n, c, k) -> c == 0 ? FakeStreamServer.Action.echo() : FakeStreamServer.Action.upper())) {
            RunResult r = run(workload(mixed.endpoint()).build());

            assertThat(r.errors(ErrorClass.MISMATCH)).isPositive();
            assertThat(r.requests()).as("the connection whose service was detected is answered").isPositive();
            assertThat(r.config().path("check_detected").asBoolean()).isTrue();
            assertThat(details(r)).anySatisfy(line -> assertThat(line).startsWith("mismatch: the first reply was the request")
                    .endsWith("detected) and later replies differ from that"));
        }
    }

    private static java.util.List<String> details(RunResult r) {
        return TableReport.details(new Report("test", 0, java.util.List.of(r), false, java.util.List.of(), false));
    }
}
