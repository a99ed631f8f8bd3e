package dev.jecho;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jecho.testing.DeployDoc;
import dev.jecho.testing.JechoProcess;
import dev.jecho.testing.ProxyHarness;
import dev.jecho.testing.Repository;
import dev.jecho.testing.Scrape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The snippets of docs/deploy.md that neither {@link HaproxyTest} nor {@link NginxTest} runs: the systemd
 * units and the service's options, which are the Debian package's files as they are (packaging/systemd/),
 * checked by systemd itself and the options started; the Prometheus scrape job; the {@code /connections}
 * table's header. Not run here: the install commands, which need the package (.ci/run builds, installs,
 * uses and removes it).
 */
class DeployDocTest {

    private static final Path UNITS = Repository.file("packaging/systemd");

    /** The document quotes the package's units and options file whole, so that neither drifts from the other. */
    @Test
    void theDocumentQuotesThePackagesUnitsAndOptionsAsTheyAre() throws Exception {
        assertThat(DeployDoc.block("ini", "# /usr/lib/systemd/system/jecho.service")).isEqualTo(packaged("jecho.service"));
        assertThat(DeployDoc.block("ini", "# /usr/lib/systemd/system/jecho.socket")).isEqualTo(packaged("jecho.socket"));
        assertThat(DeployDoc.block("sh", "# /etc/default/jecho")).isEqualTo(packaged("jecho.default"));
    }

    /**
     * systemd's own check of the service and the socket, as packaged, but for the paths of the installed
     * command and options file (systemd checks that the program exists) and the man page it names;
     * skipped without systemd-analyze.
     */
    @Test
    void systemdAcceptsTheUnits(@TempDir Path dir) throws Exception {
        String analyze = ProxyHarness.findExecutable("systemd-analyze");
        assumeTrue(analyze != null, "systemd-analyze not found: the units are not checked here");
        Path options = dir.resolve("jecho.default");
        Files.writeString(options, packaged("jecho.default"), StandardCharsets.UTF_8);
        String service = DeployDoc.replace(packaged("jecho.service"), "ExecStart=/usr/bin/jecho ",
                "ExecStart=" + Repository.file("bin/jecho").toAbsolutePath() + " ");
        service = DeployDoc.replace(service, "EnvironmentFile=/etc/default/jecho", "EnvironmentFile=" + options);
        Files.writeString(dir.resolve("jecho.service"), service, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("jecho.socket"), packaged("jecho.socket"), StandardCharsets.UTF_8);
        Path out = dir.resolve("verify.txt");
        Process verify = new ProcessBuilder(analyze, "verify", "--man=no",
                dir.resolve("jecho.service").toString(), dir.resolve("jecho.socket").toString())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(verify.waitFor(60, TimeUnit.SECONDS)).as("systemd-analyze verify finished").isTrue();
        String said = Files.readString(out);
        assertThat(verify.exitValue()).as(said).isZero();
        assertThat(said).as("warnings about the units").doesNotContain("jecho.service").doesNotContain("jecho.socket");
    }

    /**
     * The service's command line, its listeners and options from the options file (ports free ones): the
     * server starts, logs JSON lines, and exits 0 on SIGTERM (the unit's comment says a stop is not a failure).
     */
    @Test
    void theServicesListenersAndOptionsStartAServerThatStopsCleanly() throws Exception {
        String unit = packaged("jecho.service");
        assertThat(unit).contains("ExecStart=/usr/bin/jecho server $JECHO_LISTENERS $JECHO_ARGS\n");
        Map<String, String> options = options(packaged("jecho.default"));
        List<String> args = new ArrayList<>(List.of("server"));
        for (String word : (options.get("JECHO_LISTENERS") + " " + options.get("JECHO_ARGS")).trim().split("\\s+")) {
            args.add(word.replaceAll("^127\\.0\\.0\\.1:\\d+$", "127.0.0.1:0"));
        }
        assertThat(args).contains("--tcp", "--udp", "--log-format").doesNotContain("127.0.0.1:8888");

        try (JechoProcess server = JechoProcess.start(args.toArray(new String[0]))) {
            assertThat(server.awaitListening(2)).extracting(Endpoint::kind).containsExactly(Endpoint.Kind.TCP, Endpoint.Kind.UDP);
            server.terminate();
            assertThat(server.waitFor(10)).as("exit code after SIGTERM").isZero();
            ObjectMapper json = new ObjectMapper();
            for (String line : server.stderr().split("\\n")) {
                if (!line.isBlank()) {
                    assertThat(json.readTree(line).isObject()).as("a JSON log line: %s", line).isTrue();
                }
            }
        }
    }

    /** An instance as the HAProxy section starts it serves its metrics, and its {@code /connections} table has the header shown. */
    @Test
    void theConnectionsTableHasTheHeaderTheDocumentShows() throws Exception {
        List<String> args = DeployDoc.serverCommands(DeployDoc.block("sh", "haproxy -f")).get(0).stream()
                .map(word -> word.replaceAll("^127\\.0\\.0\\.1:\\d+$", "127.0.0.1:0")).toList();
        assertThat(args).contains("--metrics");
        String console = DeployDoc.block("console", "/connections?format=text");
        String header = console.lines().filter(l -> l.startsWith("PEER")).findFirst().orElseThrow();
        try (JechoProcess server = JechoProcess.start(args.toArray(new String[0]))) {
            server.awaitListening(1);
            String metrics = server.awaitMetricsUrl();
            assertThat(Scrape.get(metrics + "/health").statusCode()).isEqualTo(200);
            String table = Scrape.get(metrics + "/connections?format=text").body();
            assertThat(table.lines().findFirst().orElseThrow()).as("the /connections table's header").isEqualTo(header);
        }
    }

    private static String packaged(String name) throws IOException {
        return Files.readString(UNITS.resolve(name), StandardCharsets.UTF_8);
    }

    /** The NAME="value" lines of a shell options file. */
    private static Map<String, String> options(String file) {
        Map<String, String> options = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^([A-Z_]+)=\"([^\"]*)\"$").matcher(file);
        while (m.find()) {
            options.put(m.group(1), m.group(2));
        }
        return options;
    }

    /** The scrape job's targets are the --metrics addresses of the two instances the HAProxy section starts. */
    @Test
    void thePrometheusTargetsAreTheInstancesMetricsAddresses() {
        String scrape = DeployDoc.block("yaml", "scrape_configs:");
        Matcher targets = Pattern.compile("targets: \\[(.*)]").matcher(scrape);
        assertThat(targets.find()).isTrue();
        List<String> listed = Arrays.stream(targets.group(1).split(",")).map(t -> t.trim().replace("'", "")).toList();

        List<String> metrics = new ArrayList<>();
        Matcher flag = Pattern.compile("--metrics (\\S+)").matcher(DeployDoc.block("sh", "haproxy -f"));
        while (flag.find()) {
            metrics.add(flag.group(1));
        }
        assertThat(listed).isEqualTo(metrics).hasSize(2);
    }
}
