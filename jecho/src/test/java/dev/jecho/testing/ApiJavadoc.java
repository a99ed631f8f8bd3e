package dev.jecho.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.DocumentationTool;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Runs the JDK's javadoc over an API package, with every doclint check javadoc makes by default (missing
 * comments, {@code @param}, {@code @return} and {@code @throws} included; broken references; bad HTML), and
 * returns what it warned about. The same run as {@code mvn javadoc:javadoc}, in-process and in seconds.
 */
public final class ApiJavadoc {

    private ApiJavadoc() {
    }

    /**
     * The warnings and errors of javadoc over {@code apiPackage} in {@code sourceRoot}, each as
     * {@code File.java:LINE: message}.
     */
    public static List<String> problems(Path sourceRoot, String apiPackage) throws IOException {
        DocumentationTool javadoc = ToolProvider.getSystemDocumentationTool();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Path out = Files.createTempDirectory("jecho-javadoc");
        StringWriter chatter = new StringWriter();
        try (StandardJavaFileManager files = javadoc.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            List<String> options = List.of("-quiet", "-Xdoclint:all", "-Xmaxwarns", "10000", "-Xmaxerrs", "10000",
                    "-d", out.toString(), "-sourcepath", sourceRoot.toString(),
                    "-classpath", System.getProperty("java.class.path"), apiPackage);
            Boolean ok = javadoc.getTask(chatter, files, diagnostics, null, options, null).call();
            List<String> problems = new ArrayList<>();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() == Diagnostic.Kind.WARNING || d.getKind() == Diagnostic.Kind.MANDATORY_WARNING
                        || d.getKind() == Diagnostic.Kind.ERROR) {
                    String where = d.getSource() == null ? "javadoc" : Path.of(d.getSource().toUri()).getFileName() + ":" + d.getLineNumber();
                    problems.add(where + ": " + d.getMessage(Locale.ROOT));
                }
            }
            if (!Boolean.TRUE.equals(ok) && problems.isEmpty()) {
                problems.add("javadoc failed: " + chatter);
            }
            return problems;
        } finally {
            deleteTree(out);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
