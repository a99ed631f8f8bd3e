package dev.jecho;

import dev.jecho.testing.ApiSurface;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The library's public types are exactly the README's list ("The public API"): a type made public by
 * accident, or one listed that is gone, fails here. The README's list is the only list; each module holds its
 * own package to it (jecho-metrics and jecho-junit have their own PublicApiTest).
 */
class PublicApiTest {

    /** The packages that hold API: the library's, and those of the modules a user may depend on. */
    static final Set<String> API_PACKAGES = Set.of("dev.jecho", "dev.jecho.metrics", "dev.jecho.junit");

    @Test
    void theLibrarysPublicTypesAreTheReadmesList() throws Exception {
        assertThat(ApiSurface.publicTypes(ArchitectureTest.CORE.that(ApiSurface.apiTypesIn("dev.jecho"))))
                .as("public types of dev.jecho (left) and README.md's list (right)")
                .containsExactlyElementsOf(ApiSurface.documentedTypesIn("dev.jecho"));
    }

    @Test
    void theReadmesListNamesEachTypeOnceAndOnlyInApiPackages() throws Exception {
        List<String> documented = ApiSurface.documentedTypes();
        assertThat(documented).doesNotHaveDuplicates();
        assertThat(documented).allSatisfy(type -> assertThat(API_PACKAGES).as(type).anyMatch(p -> type.startsWith(p + ".")
                && Character.isUpperCase(type.charAt(p.length() + 1))));
    }
}
