package dev.jecho.metrics;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.jecho.testing.ApiSurface;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThat;

/** jecho-metrics's public types are the README's list for dev.jecho.metrics, and none shows an internal type. */
class PublicApiTest {

    static final JavaClasses METRICS = ApiSurface.mainClassesOf(PrometheusMetrics.class);

    @Test
    void itsPublicTypesAreTheReadmesList() throws Exception {
        classes().should().resideInAPackage("dev.jecho.metrics").check(METRICS);
        assertThat(ApiSurface.publicTypes(METRICS)).as("public types of jecho-metrics (left) and README.md's list (right)")
                .containsExactlyElementsOf(ApiSurface.documentedTypesIn("dev.jecho.metrics"));
    }

    @Test
    void itsSignaturesExposeNoInternalType() {
        classes().that(ApiSurface.apiTypesIn("dev.jecho.metrics")).should(ApiSurface.exposeNoInternalType(Set.of()))
                .check(METRICS);
    }
}
