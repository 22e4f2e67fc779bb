package io.idgate.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The package rules of docs/architecture.md: dependencies point down only, front ends do not call
 * each other, the pure layers touch no client, CDI, logging or clock. A wrong import fails make test
 * here, with the offending class and line.
 */
class ArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.idgate");

    @Test
    void dependenciesPointDownOnly() {
        layeredArchitecture().consideringOnlyDependenciesInLayers().withOptionalLayers(true)
                .layer("identity").definedBy("io.idgate.identity..")
                .layer("netpol").definedBy("io.idgate.netpol..")
                .layer("reach").definedBy("io.idgate.reach..")
                .layer("yaml").definedBy("io.idgate.yaml..")
                .layer("guardrails").definedBy("io.idgate.guardrails..")
                .layer("oidc").definedBy("io.idgate.oidc..")
                .layer("config").definedBy("io.idgate.config..")
                .layer("k8s").definedBy("io.idgate.k8s..")
                .layer("engine").definedBy("io.idgate.engine..")
                .layer("render").definedBy("io.idgate.render..")
                .layer("review").definedBy("io.idgate.review..")
                .layer("tls").definedBy("io.idgate.tls..")
                .layer("frontends").definedBy("io.idgate.admission..", "io.idgate.cli..", "io.idgate.api..", "io.idgate")
                .whereLayer("frontends").mayNotBeAccessedByAnyLayer()
                .whereLayer("review").mayOnlyBeAccessedByLayers("frontends")
                .whereLayer("tls").mayOnlyBeAccessedByLayers("frontends")
                .whereLayer("render").mayOnlyBeAccessedByLayers("frontends", "review")
                .whereLayer("engine").mayOnlyBeAccessedByLayers("frontends", "review", "render")
                .whereLayer("k8s").mayOnlyBeAccessedByLayers("engine", "frontends", "review")
                .whereLayer("oidc").mayOnlyBeAccessedByLayers("engine", "frontends", "review")
                .whereLayer("guardrails").mayOnlyBeAccessedByLayers("oidc", "k8s", "engine", "render", "review", "frontends")
                .whereLayer("reach").mayOnlyBeAccessedByLayers("guardrails", "oidc", "k8s", "engine", "render", "review", "frontends")
                .whereLayer("netpol").mayOnlyBeAccessedByLayers("reach", "guardrails", "oidc", "k8s", "engine", "render", "review", "frontends")
                .whereLayer("yaml").mayOnlyBeAccessedByLayers("guardrails", "reach", "k8s", "engine", "review", "frontends")
                .whereLayer("config").mayOnlyBeAccessedByLayers("k8s", "engine", "review", "tls", "frontends")
                .check(MAIN);
    }

    @Test
    void frontEndsDoNotCallEachOther() {
        for (String[] pair : new String[][] {{"admission", "cli"}, {"admission", "api"}, {"cli", "admission"}, {"cli", "api"},
                {"api", "admission"}, {"api", "cli"}}) {
            noClasses().that().resideInAPackage("io.idgate." + pair[0] + "..")
                    .should().dependOnClassesThat().resideInAPackage("io.idgate." + pair[1] + "..")
                    .check(MAIN);
        }
    }

    @Test
    void noPackageCycles() {
        slices().matching("io.idgate.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void pureLayersTouchNoClientCdiLoggingOrClock() {
        noClasses().that().resideInAnyPackage("io.idgate.identity..", "io.idgate.netpol..", "io.idgate.reach..", "io.idgate.yaml..",
                        "io.idgate.guardrails..", "io.idgate.render..", "io.idgate.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("io.fabric8.kubernetes.client..", "jakarta.enterprise..",
                        "jakarta.inject..", "org.jboss.logging..", "io.quarkus..", "io.vertx..")
                .check(MAIN);
    }
}
