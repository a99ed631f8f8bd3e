package dev.jecho;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import dev.jecho.testing.ApiSurface;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The library's public line, held by ArchUnit instead of a module descriptor: jecho has no
 * {@code module-info.java}, because HdrHistogram 2.2.2 has no stable module name (neither a descriptor nor an
 * {@code Automatic-Module-Name}), so a descriptor would have to require it by its jar's file name. The jar carries
 * {@code Automatic-Module-Name: dev.jecho} for module-path users; these rules keep the line a descriptor would.
 */
class ArchitectureTest {

    static final JavaClasses CORE = ApiSurface.mainClassesOf(JechoServer.class);

    /**
     * Members of API types whose signatures still name an internal type, each with what will remove it (none
     * now: cfg's connection-limit group took the limit value types off the API). An entry that no longer names an
     * internal type fails {@link #theAllowlistHoldsOnlyRealViolations()}, so none is forgotten.
     */
    static final Set<String> ALLOWED = Set.of();

    @Test
    void everyClassIsApiOrInternal() {
        classes().should().resideInAnyPackage("dev.jecho", ApiSurface.INTERNAL + "..").check(CORE);
    }

    @Test
    void apiSignaturesExposeNoInternalType() {
        classes().that(ApiSurface.apiTypesIn("dev.jecho")).should(ApiSurface.exposeNoInternalType(ALLOWED)).check(CORE);
    }

    @Test
    void theAllowlistHoldsOnlyRealViolations() {
        Map<String, Set<String>> all = new HashMap<>();
        for (JavaClass c : CORE) {
            if (c.getPackageName().equals("dev.jecho") && ApiSurface.isVisibleOutside(c)) {
                all.putAll(ApiSurface.internalTypesInSignatures(c));
            }
        }
        assertThat(all.keySet()).as("allowlisted members that no longer name an internal type: delete them from ALLOWED")
                .containsAll(ALLOWED);
    }

    @Test
    void theCoreNeedsNoneOfTheOtherModulesNorTheirLibraries() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                "dev.jecho.metrics..", "dev.jecho.cli..", "dev.jecho.junit..",
                "picocli..", "org.jline..", "ch.qos.logback..", "io.prometheus..", "org.junit..")
                .because("the library depends on Netty, Jackson, HdrHistogram and slf4j-api only; metrics reach it"
                        + " through MetricsRecorder")
                .check(CORE);
    }

    @Test
    void theBuildingBlocksDoNotDependOnServerClientOrBench() {
        noClasses().that().resideInAnyPackage(
                        "dev.jecho.internal.service..", "dev.jecho.internal.protocol..", "dev.jecho.internal.keys..",
                        "dev.jecho.internal.tls..", "dev.jecho.internal.transport..", "dev.jecho.internal.files..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "dev.jecho.internal.server..", "dev.jecho.internal.client..", "dev.jecho.internal.bench..")
                .check(CORE);
    }

    @Test
    void theServerAndTheClientAreApartAndOnlyTheBenchUsesTheClient() {
        noClasses().that().resideInAPackage("dev.jecho.internal.server..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.jecho.internal.client..", "dev.jecho.internal.bench..")
                .check(CORE);
        noClasses().that().resideInAPackage("dev.jecho.internal.client..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.jecho.internal.server..", "dev.jecho.internal.bench..")
                .check(CORE);
        noClasses().that().resideInAPackage("dev.jecho.internal.bench..")
                .should().dependOnClassesThat().resideInAPackage("dev.jecho.internal.server..")
                .because("the bench measures any server through the client's sessions").check(CORE);
    }

    @Test
    void internalPackagesHaveNoCycles() {
        slices().matching("dev.jecho.internal.(**)").should().beFreeOfCycles().check(CORE);
    }
}
