package dev.jecho;

import dev.jecho.testing.ApiJavadoc;
import dev.jecho.testing.Repository;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API's javadoc builds without a warning: every public type and member documented, every parameter, return
 * value and exception; no broken reference. ({@code mvn javadoc:javadoc} makes the pages.)
 */
class ApiJavadocTest {

    @Test
    void theApisJavadocHasNoWarning() throws Exception {
        List<String> problems = ApiJavadoc.problems(Repository.file("jecho/src/main/java"), "dev.jecho");
        assertThat(problems).isEmpty();
    }
}
