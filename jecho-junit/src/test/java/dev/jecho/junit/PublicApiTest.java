package dev.jecho.junit;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.jecho.testing.ApiJavadoc;
import dev.jecho.testing.ApiSurface;
import dev.jecho.testing.Repository;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThat;

/** jecho-junit's public types are the README's list for dev.jecho.junit, none shows an internal type, all documented. */
class PublicApiTest {

    static final JavaClasses JUNIT = ApiSurface.mainClassesOf(JechoServerExtension.class);

    @Test
    void itsPublicTypesAreTheReadmesList() throws Exception {
        classes().should().resideInAPackage("dev.jecho.junit").check(JUNIT);
        assertThat(ApiSurface.publicTypes(JUNIT)).as("public types of jecho-junit (left) and README.md's list (right)")
                .containsExactlyElementsOf(ApiSurface.documentedTypesIn("dev.jecho.junit"));
    }

    @Test
    void itsSignaturesExposeNoInternalType() {
        classes().that(ApiSurface.apiTypesIn("dev.jecho.junit")).should(ApiSurface.exposeNoInternalType(Set.of()))
                .check(JUNIT);
    }

    @Test
    void itsJavadocHasNoWarning() throws Exception {
        assertThat(ApiJavadoc.problems(Repository.file("jecho-junit/src/main/java"), "dev.jecho.junit")).isEmpty();
    }
}
