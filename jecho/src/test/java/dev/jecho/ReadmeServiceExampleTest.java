package dev.jecho;

import dev.jecho.testing.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's "A service of your own" compiles and runs against jecho's core alone: its classes and the
 * libraries it depends on (Netty, Jackson, HdrHistogram, slf4j-api), in a JVM of its own, as a separate
 * project depending only on {@code dev.jecho:jecho} would.
 */
class ReadmeServiceExampleTest {

    /** What the core depends on, as Maven lays it out in the local repository. */
    private static final List<String> CORE_DEPENDENCIES = List.of(
            "/io/netty/", "/com/fasterxml/jackson/", "/org/hdrhistogram/", "/org/slf4j/slf4j-api/");

    /** jecho's own classes (not its tests) and the jars of its dependencies, from this test's class path. */
    private static String coreClassPath() {
        List<String> core = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String path = entry.replace(File.separatorChar, '/');
            boolean classes = path.endsWith("/jecho/target/classes") || path.endsWith("/jecho/target/classes/");
            if (classes || CORE_DEPENDENCIES.stream().anyMatch(path::contains)) {
                core.add(entry);
            }
        }
        assertThat(core).as("jecho's classes are on the path").anyMatch(e -> e.replace(File.separatorChar, '/').contains("/jecho/target/classes"));
        assertThat(String.join(File.pathSeparator, core)).doesNotContain("picocli", "jline", "logback", "prometheus", "junit");
        return String.join(File.pathSeparator, core);
    }

    @Test
    void theServiceExampleInTheReadmeCompilesAndRunsAgainstTheCoreAlone(@TempDir Path dir) throws Exception {
        String readme = Files.readString(Repository.file("README.md"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("### A service of your own.*?```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(m.find()).as("a ```java block under '### A service of your own'").isTrue();
        String source = m.group(1);
        assertThat(source).contains("public class Reverse");
        assertThat(source.lines().filter(l -> !l.isBlank() && !l.startsWith("import")).count())
                .as("about ten lines besides the imports").isLessThanOrEqualTo(14);

        String classPath = coreClassPath();
        Path file = dir.resolve("Reverse.java");
        Files.writeString(file, source, StandardCharsets.UTF_8);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int status = javac.run(null, diagnostics, diagnostics, "-d", dir.toString(), "-cp", classPath,
                "-Xlint:all", "-Werror", file.toString());
        assertThat(status).as("javac: %s", diagnostics.toString(StandardCharsets.UTF_8)).isZero();

        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", classPath + File.pathSeparator + dir, "Reverse")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the example ended").isTrue();
        String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(printed).isZero();
        assertThat(printed.lines()).containsExactly("desserts");
    }
}
