package dev.jecho.junit;

import dev.jecho.ConnectionInfo;
import dev.jecho.Endpoint;
import dev.jecho.JechoServer;
import dev.jecho.ListenerException;
import dev.jecho.ServerConfig;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.opentest4j.AssertionFailedError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A jecho server for a test: on free ports of 127.0.0.1 (and a Unix socket in a fresh temporary directory),
 * started before and stopped after, then checked. Registered in a static field, one server serves the whole
 * class; in an instance field, each test gets its own.
 *
 * <pre>{@code
 * @RegisterExtension
 * static JechoServerExtension server = new JechoServerExtension()
 *         .listeners(Endpoint.Kind.TCP, Endpoint.Kind.UDP)
 *         .configure(options -> options.service(Service.ECHO));
 *
 * @Test
 * void myClientGetsItsEcho(Endpoint tcp, @Listener(Endpoint.Kind.UDP) Endpoint udp) { ... }
 * }</pre>
 *
 * <p>Test methods, {@code @BeforeEach} and {@code @AfterEach} methods (and {@code @BeforeAll} ones, for a
 * class's server) may take the server's {@link Endpoint}s (the first listener's, or with {@link Listener} the one
 * of a kind) and the {@link JechoServer} itself.
 *
 * <p><b>Afterwards</b> (after the test, or after the class), the extension fails it when:
 * <ul>
 *   <li>a connection is still open a second after the test: a client that did not close its connection (turn
 *       this off with {@link #allowOpenConnections()} when a test means to leave one to the server);</li>
 *   <li>the server's I/O threads still run after its stop;</li>
 *   <li>Netty reported a buffer leak while the server ran: a buffer of the server's, or of the test's own
 *       Netty code, that was never released. The extension turns Netty's leak detector to PARANOID (every buffer
 *       tracked) unless {@code io.netty.leakDetection.level} is set.</li>
 * </ul>
 * The server is stopped in any case, gracefully ({@link JechoServer#stop()}). Tests of one class run one after
 * the other (JUnit's default) for the thread check to know the server's threads from others'.
 */
public final class JechoServerExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {

    /** How long the clients of a finished test have to close their connections. */
    private static final long CLOSE_GRACE_MILLIS = 1000;
    /** How long the server's threads have to end after its stop. */
    private static final long THREADS_GRACE_MILLIS = 5000;
    /** The name every thread of a jecho server's event loops starts with. */
    private static final String SERVER_THREADS = "jecho-io-";

    private final List<Endpoint.Kind> kinds = new ArrayList<>(List.of(Endpoint.Kind.TCP));
    private Consumer<ServerConfig.Builder> options = b -> { };
    private boolean checkConnections = true;
    private Running running;
    private boolean perClass;

    /** A server with one TCP listener on 127.0.0.1, port 0 (a free port), and jecho's defaults otherwise. */
    public JechoServerExtension() {
    }

    /**
     * Which listeners the server has, in order: TCP and UDP on 127.0.0.1 (each on a free port), UNIX on a
     * socket file in a fresh temporary directory. The default is one TCP listener.
     *
     * @param kinds one or more kinds, each at most once
     * @return this extension
     * @throws IllegalArgumentException when none is given, or one twice
     */
    public JechoServerExtension listeners(Endpoint.Kind... kinds) {
        if (kinds.length == 0 || Set.of(kinds).size() != kinds.length) {
            throw new IllegalArgumentException("give each listener kind once, at least one: " + List.of(kinds));
        }
        this.kinds.clear();
        this.kinds.addAll(List.of(kinds));
        return this;
    }

    /**
     * Any other server option, on the builder that already has the listeners: a service, a keyring, TLS, JSON,
     * limits, more listeners. Every option of {@link ServerConfig.Builder} is available.
     *
     * @param options what to set on the builder
     * @return this extension
     */
    public JechoServerExtension configure(Consumer<ServerConfig.Builder> options) {
        this.options = this.options.andThen(Objects.requireNonNull(options, "options"));
        return this;
    }

    /**
     * Does not fail a test whose clients leave connections open (the server closes them when it stops).
     *
     * @return this extension
     */
    public JechoServerExtension allowOpenConnections() {
        this.checkConnections = false;
        return this;
    }

    /**
     * The running server.
     *
     * @return the server
     * @throws IllegalStateException outside the test (or class) it serves
     */
    public JechoServer server() {
        return running().server;
    }

    /**
     * The first listener's endpoint, with the port the system chose.
     *
     * @return its endpoint
     * @throws IllegalStateException outside the test (or class) the server serves
     */
    public Endpoint endpoint() {
        return running().server.boundEndpoints().get(0);
    }

    /**
     * The endpoint of the first listener of a kind.
     *
     * @param kind TCP, UDP or UNIX
     * @return its endpoint, with the port the system chose
     * @throws IllegalStateException outside the test (or class) the server serves
     * @throws IllegalArgumentException when the server has no listener of that kind
     */
    public Endpoint endpoint(Endpoint.Kind kind) {
        return running().server.boundEndpoints().stream().filter(e -> e.kind() == kind).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the server has no " + kind + " listener (it has "
                        + running().server.boundEndpoints() + "; see listeners(...))"));
    }

    private Running running() {
        if (running == null) {
            throw new IllegalStateException("no jecho server runs now: it serves the test (or, from a static field,"
                    + " the class) it is registered for");
        }
        return running;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        perClass = true;
        running = start();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        if (!perClass) {
            running = start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (!perClass) {
            stopAndCheck(context.getDisplayName());
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (perClass) {
            stopAndCheck(context.getDisplayName());
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == Endpoint.class || type == JechoServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (running == null) {
            throw new ParameterResolutionException("no jecho server runs for " + parameter.getDeclaringExecutable()
                    + ": a server of an instance field serves test methods and their @BeforeEach/@AfterEach only");
        }
        if (parameter.getParameter().getType() == JechoServer.class) {
            return running.server;
        }
        try {
            return parameter.findAnnotation(Listener.class).map(l -> endpoint(l.value())).orElseGet(this::endpoint);
        } catch (IllegalArgumentException e) {
            throw new ParameterResolutionException(e.getMessage(), e);
        }
    }

    private Running start() throws IOException, ListenerException {
        String cannotWatch = BufferLeaks.watch();
        if (cannotWatch != null) {
            throw new ExtensionConfigurationException("jecho-junit: " + cannotWatch);
        }
        Set<Thread> threadsBefore = Thread.getAllStackTraces().keySet();
        int leaksBefore = BufferLeaks.mark();
        Path socketDir = kinds.contains(Endpoint.Kind.UNIX) ? Files.createTempDirectory("jecho-junit") : null;
        ServerConfig.Builder builder = JechoServer.builder();
        for (Endpoint.Kind kind : kinds) {
            switch (kind) {
                case TCP -> builder.tcp("127.0.0.1", 0);
                case UDP -> builder.udp("127.0.0.1", 0);
                case UNIX -> builder.unix(socketDir.resolve("jecho.sock"));
            }
        }
        options.accept(builder);
        try {
            return new Running(builder.start(), socketDir, threadsBefore, leaksBefore);
        } catch (ListenerException | RuntimeException e) {
            deleteDirectory(socketDir);
            throw e;
        }
    }

    private void stopAndCheck(String what) throws Exception {
        Running r = running;
        running = null;
        if (r == null) {
            return;
        }
        List<String> problems = new ArrayList<>();
        try {
            if (checkConnections) {
                String open = stillOpen(r.server);
                if (open != null) {
                    problems.add(open);
                }
            }
        } finally {
            r.server.stop();
            deleteDirectory(r.socketDir);
        }
        if (r.server.stats().openConnections() != 0) {
            problems.add(r.server.stats().openConnections() + " connections still open after the server's stop");
        }
        List<String> threads = threadsLeft(r.threadsBefore);
        if (!threads.isEmpty()) {
            problems.add("the server's threads still run " + THREADS_GRACE_MILLIS + " ms after its stop: " + threads);
        }
        List<String> leaks = BufferLeaks.since(r.leaksBefore);
        if (!leaks.isEmpty()) {
            problems.add("Netty reported " + leaks.size() + (leaks.size() == 1 ? " buffer leak" : " buffer leaks")
                    + " (a buffer garbage-collected without release()):\n" + String.join("\n", leaks));
        }
        if (!problems.isEmpty()) {
            throw new AssertionFailedError("jecho server " + r.server.boundEndpoints() + " after " + what + ": "
                    + String.join("; ", problems));
        }
    }

    /** Null when every connection closed within the grace period; else which are open. */
    private static String stillOpen(JechoServer server) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_GRACE_MILLIS);
        while (server.stats().openConnections() > 0 && System.nanoTime() - deadline < 0) {
            Thread.sleep(10);
        }
        long open = server.stats().openConnections();
        if (open == 0) {
            return null;
        }
        List<String> which = new ArrayList<>();
        for (ConnectionInfo c : server.connections().get(5, TimeUnit.SECONDS)) {
            which.add(c.peer() + " on " + c.listener() + " (" + c.messagesIn() + " messages in, open " + c.ageMillis() + " ms)");
        }
        return open + (open == 1 ? " connection" : " connections") + " still open " + CLOSE_GRACE_MILLIS
                + " ms after the test: a client did not close it (or use allowOpenConnections()): " + which;
    }

    /** The server threads started since {@code before} that still run after a grace period. */
    private static List<String> threadsLeft(Set<Thread> before) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(THREADS_GRACE_MILLIS);
        List<String> left = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (before.contains(t) || !t.getName().startsWith(SERVER_THREADS)) {
                continue;
            }
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (t.isAlive()) {
                left.add(t.getName());
            }
        }
        return left;
    }

    private static void deleteDirectory(Path dir) throws IOException {
        if (dir == null) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(dir);
    }

    /** A started server and what its check compares with. */
    private record Running(JechoServer server, Path socketDir, Set<Thread> threadsBefore, int leaksBefore) {
    }
}
