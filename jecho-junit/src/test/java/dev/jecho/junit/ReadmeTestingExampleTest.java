package dev.jecho.junit;

import dev.jecho.testing.ApiSurface;
import dev.jecho.testing.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/** The README's "Testing your client" examples (a client test, and one against a fault) each compile against jecho-junit as it is, use only the API, and pass. */
class ReadmeTestingExampleTest {

    @Test
    void theTestingExampleInTheReadmeCompilesAndPasses(@TempDir Path dir) throws Exception {
        compileAndRun(dir, "MyClientTest");
    }

    @Test
    void theFaultExampleInTheReadmeCompilesAndPasses(@TempDir Path dir) throws Exception {
        compileAndRun(dir, "MyClientTimeoutTest");
    }

    /** The ```java block under '### Testing your client' that declares {@code className}: compiled, checked, run. */
    private void compileAndRun(Path dir, String className) throws Exception {
        String readme = Files.readString(Repository.file("README.md"), StandardCharsets.UTF_8);
        String section = readme.substring(readme.indexOf("### Testing your client"));
        Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(section);
        String source = null;
        while (m.find() && source == null) {
            if (m.group(1).contains("class " + className + " ")) {
                source = m.group(1);
            }
        }
        assertThat(source).as("a ```java block declaring %s under '### Testing your client'", className).isNotNull();

        Path file = dir.resolve(className + ".java");
        Files.writeString(file, source, StandardCharsets.UTF_8);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int status = javac.run(null, diagnostics, diagnostics, "-d", dir.toString(),
                "-cp", System.getProperty("java.class.path"), "-Xlint:all", "-Werror", file.toString());
        assertThat(status).as("javac: %s", diagnostics.toString(StandardCharsets.UTF_8)).isZero();
        ApiSurface.assertUsesOnlyTheApi(dir);

        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            List<Event> finished = EngineTestKit.engine("junit-jupiter")
                    .selectors(selectClass(loader.loadClass(className)))
                    .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "false")
                    .execute().testEvents().finished().list();
            assertThat(finished).hasSize(1);
            TestExecutionResult result = finished.get(0).getPayload(TestExecutionResult.class).orElseThrow();
            assertThat(result.getStatus()).as("%s", result.getThrowable().orElse(null)).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
        }
    }
}
