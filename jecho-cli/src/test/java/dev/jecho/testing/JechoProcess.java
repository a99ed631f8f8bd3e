package dev.jecho.testing;

import dev.jecho.Endpoint;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code jecho} in a process of its own (the test classpath, this JVM's java), for what only a process
 * shows: signals, exit codes, what reaches stdout and stderr.
 */
public final class JechoProcess implements AutoCloseable {

    private final Process process;
    private final BufferedReader stdout;
    private final Path stderrFile;
    private final List<String> stdoutLines = new ArrayList<>();

    private JechoProcess(Process process, Path stderrFile) {
        this.process = process;
        this.stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.stderrFile = stderrFile;
    }

    public static JechoProcess start(String... args) throws IOException {
        return startUnder(List.of(), args);
    }

    /** The same, run by {@code launcher} (a command that runs the command after it, e.g. a supervisor). */
    public static JechoProcess startUnder(List<String> launcher, String... args) throws IOException {
        List<String> command = new ArrayList<>(launcher);
        command.add(ProcessHandle.current().info().command().orElse("java"));
        if (Runtime.version().feature() >= 22) {
            // what the jar's manifest says: Netty's native transports load JNI libraries (else a warning on stderr)
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("dev.jecho.cli.Main");
        command.addAll(List.of(args));
        Path stderr = Files.createTempFile("jecho-stderr", ".txt");
        Process p = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        return new JechoProcess(p, stderr);
    }

    /** Reads stdout until the server has printed its listeners; returns them in order. */
    public List<Endpoint> awaitListening(int listeners) throws IOException {
        List<Endpoint> bound = new ArrayList<>();
        String line;
        while (bound.size() < listeners && (line = stdout.readLine()) != null) {
            stdoutLines.add(line);
            if (line.startsWith("listening on ")) {
                bound.add(Endpoint.parse(line.substring("listening on ".length())));
            }
        }
        if (bound.size() < listeners) {
            throw new IOException("server did not start; stderr: " + stderr());
        }
        return bound;
    }

    /** Reads stdout until a line starts with {@code prefix}; returns that line. */
    public String awaitLine(String prefix) throws IOException {
        for (String line : stdoutLines) {
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        String line;
        while ((line = stdout.readLine()) != null) {
            stdoutLines.add(line);
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        throw new IOException("no line starting with '" + prefix + "' on stdout; stderr: " + stderr());
    }

    /** The metrics base URL from the banner, e.g. {@code http://127.0.0.1:41234}. */
    public String awaitMetricsUrl() throws IOException {
        String line = awaitLine("metrics: http://");
        String url = line.substring("metrics: ".length());
        return url.substring(0, url.indexOf("/metrics"));
    }

    /** The stdout lines read so far. */
    public List<String> stdoutLines() {
        return List.copyOf(stdoutLines);
    }

    public Process process() {
        return process;
    }

    public int waitFor(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError("process still running after " + seconds + " s");
        }
        return process.exitValue();
    }

    public String stderr() throws IOException {
        return Files.readString(stderrFile, StandardCharsets.UTF_8);
    }

    public String remainingStdout() throws IOException {
        StringBuilder sb = new StringBuilder();
        String line;
        while ((line = stdout.readLine()) != null) {
            sb.append(line).append('\n');
        }
        return sb.toString();
    }

    /** Sends SIGTERM, as {@code kill PID} does. */
    public void terminate() {
        process.destroy();
    }

    @Override
    public void close() throws IOException {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        Files.deleteIfExists(stderrFile);
    }
}
