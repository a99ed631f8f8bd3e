package dev.jecho;

import dev.jecho.testing.ApiJavadoc;
import dev.jecho.testing.Repository;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API's javadoc builds without a warning: every public type and member documented, every parameter, return
 * value and exception; no broken reference. ({@code mvn javadoc:javadoc} makes the pages.)
 */
class ApiJavadocTest {

    /**
     * Files whose javadoc is still incomplete, each with the work that rewrites it; the lead deletes an entry
     * once that is merged.
     */
    static final Set<String> NOT_YET = Set.of(
            "ServerConfig.java", "ClientConfig.java", "JechoServer.java", // (cfg) config records per concern, JechoServer split
            "Service.java");                                              // (svc) Service becomes an open interface

    @Test
    void theApisJavadocHasNoWarning() throws Exception {
        List<String> problems = ApiJavadoc.problems(Repository.file("jecho/src/main/java"), "dev.jecho");
        assertThat(problems).filteredOn(p -> !NOT_YET.contains(p.substring(0, p.indexOf(':')))).isEmpty();
    }
}
