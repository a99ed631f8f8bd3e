package dev.jecho;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jecho.testing.DeployDoc;
import dev.jecho.testing.JechoProcess;
import dev.jecho.testing.ProxyHarness;
import dev.jecho.testing.Scrape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The snippets of docs/deploy.md that neither {@link HaproxyTest} nor {@link NginxTest} runs: the systemd
 * unit (checked by systemd itself, and its jecho arguments started), the Prometheus scrape job and the
 * {@code /connections} table's header. Not run here: the install commands and the wrapper script, which
 * install into /opt and /etc and need the packaged jar ({@code --version} and {@code completion} themselves are
 * ServerCommandTest's).
 */
class DeployDocTest {

    private static String unit() {
        return DeployDoc.block("ini", "[Service]");
    }

    /** systemd's own check of the unit as written (an instance of the template); skipped without systemd-analyze. */
    @Test
    void systemdAcceptsTheUnit(@TempDir Path dir) throws Exception {
        String analyze = ProxyHarness.findExecutable("systemd-analyze");
        assumeTrue(analyze != null, "systemd-analyze not found: the unit is not checked here");
        String unit = unit();
        if (!Files.isExecutable(Path.of("/usr/bin/java"))) {
            unit = DeployDoc.replace(unit, "ExecStart=/usr/bin/java", "ExecStart="
                    + ProcessHandle.current().info().command().orElseThrow()); // systemd checks the program exists
        }
        Path file = dir.resolve("jecho@9001.service");
        Files.writeString(file, unit, StandardCharsets.UTF_8);
        Path out = dir.resolve("verify.txt");
        Process verify = new ProcessBuilder(analyze, "verify", file.toString())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(verify.waitFor(60, TimeUnit.SECONDS)).as("systemd-analyze verify finished").isTrue();
        String said = Files.readString(out);
        assertThat(verify.exitValue()).as(said).isZero();
        assertThat(said).as("warnings about the unit").doesNotContain(file.getFileName().toString());
    }

    /**
     * The unit's jecho arguments, its ports free ones: the server starts, serves its metrics (whose
     * {@code /connections} table has the header the document shows), logs JSON lines, and exits 0 on SIGTERM
     * (the unit's comment says a stop is not a failure).
     */
    @Test
    void theUnitsJechoArgumentsStartAServerThatStopsCleanly() throws Exception {
        List<String> args = new ArrayList<>();
        for (String word : execStart(unit()).split(" -jar \\S+ ", 2)[1].trim().split("\\s+")) {
            args.add(word.replaceAll("^127\\.0\\.0\\.1:1?%i$", "127.0.0.1:0"));
        }
        assertThat(args).startsWith("server").contains("--proxy-protocol", "--log-format").doesNotContain("127.0.0.1:%i");

        String console = DeployDoc.block("console", "/connections?format=text");
        String header = console.lines().filter(l -> l.startsWith("PEER")).findFirst().orElseThrow();
        try (JechoProcess server = JechoProcess.start(args.toArray(new String[0]))) {
            server.awaitListening(1);
            String metrics = server.awaitMetricsUrl();
            assertThat(Scrape.get(metrics + "/health").statusCode()).isEqualTo(200);
            String table = Scrape.get(metrics + "/connections?format=text").body();
            assertThat(table.lines().findFirst().orElseThrow()).as("the /connections table's header").isEqualTo(header);
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

    /** The ExecStart line with its continuation lines joined. */
    private static String execStart(String unit) {
        StringBuilder sb = new StringBuilder();
        boolean in = false;
        for (String line : unit.split("\\n")) {
            if (line.startsWith("ExecStart=")) {
                in = true;
            }
            if (in) {
                boolean continued = line.endsWith("\\");
                sb.append(continued ? line.substring(0, line.length() - 1) : line).append(' ');
                if (!continued) {
                    break;
                }
            }
        }
        assertThat(sb).as("an ExecStart running 'java ... -jar jecho.jar server ...'").contains(" -jar ");
        return sb.toString();
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
