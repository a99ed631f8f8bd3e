package dev.jecho;

import dev.jecho.testing.ApiSurface;
import dev.jecho.testing.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's library example compiles against jecho as it is and does what its comments say. */
class ReadmeExampleTest {

    @Test
    void theLibraryExampleInTheReadmeCompilesAndRuns(@TempDir Path dir) throws Exception {
        String readme = Files.readString(Repository.file("README.md"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("## As a library.*?```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(m.find()).as("a ```java block under '## As a library'").isTrue();
        String source = m.group(1);
        assertThat(source).contains("public class Example");

        Path file = dir.resolve("Example.java");
        Files.writeString(file, source, StandardCharsets.UTF_8);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int status = javac.run(null, diagnostics, diagnostics, "-d", dir.toString(),
                "-cp", System.getProperty("java.class.path"), "-Xlint:all", "-Werror", file.toString());
        assertThat(status).as("javac: %s", diagnostics.toString(StandardCharsets.UTF_8)).isZero();
        ApiSurface.assertUsesOnlyTheApi(dir);

        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            Method main = loader.loadClass("Example").getMethod("main", String[].class);
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            main.invoke(null, (Object) new String[0]);
        } finally {
            System.setOut(original);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed.lines()).first().isEqualTo("HELLO");
        assertThat(printed).containsPattern("jecho_connections_accepted_total\\{listener=\"tcp://127\\.0\\.0\\.1:\\d+\",service=\"upper\"} 1\\.0");
    }
}
