package dev.jecho.metrics;

import dev.jecho.testing.ApiJavadoc;
import dev.jecho.testing.Repository;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** dev.jecho.metrics's javadoc builds without a warning (as the core's ApiJavadocTest holds dev.jecho's). */
class ApiJavadocTest {

    @Test
    void itsJavadocHasNoWarning() throws Exception {
        assertThat(ApiJavadoc.problems(Repository.file("jecho-metrics/src/main/java"), "dev.jecho.metrics")).isEmpty();
    }
}
