package io.tiercache;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The layering of core, checked on its compiled classes: vocabulary (the API and SPI types) is at
 * the bottom, the machinery under {@code io.tiercache.internal} builds on it, and the front door
 * ({@link TierCache} and the builders) builds the machinery. Nothing points back up.
 */
class ArchitectureTest {
  private static final String INTERNAL = "io.tiercache.internal..";
  private static final String[] SPI_AND_API_PACKAGES = {
      "io.tiercache.annotation..", "io.tiercache.backend..", "io.tiercache.codec..",
      "io.tiercache.coherence..", "io.tiercache.lease.."};

  private static final JavaClasses CORE = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.tiercache");

  @Test
  void theMachineryNeverReachesBackToTheFrontDoor() {
    noClasses().that().resideInAPackage(INTERNAL)
        .should().dependOnClassesThat().belongToAnyOf(TierCache.class, TierCache.Builder.class)
        .because("the front door builds the machinery, not the reverse (the proxy layer gets a"
            + " FunctionFactory, not the TierCache)")
        .check(CORE);
  }

  @Test
  void nothingButTheTierCacheItselfDependsOnIt() {
    noClasses().that().resideInAPackage("io.tiercache..")
        .and().doNotBelongToAnyOf(TierCache.class)
        .and().haveNameNotMatching("io\\.tiercache\\.TierCache\\$.*")
        .should().dependOnClassesThat().belongToAnyOf(TierCache.class)
        .because("the TierCache is the top of the class graph: the function builder gets the"
            + " CacheSettings, the proxy layer a FunctionFactory, so no cycle runs through it")
        .check(CORE);
  }

  @Test
  void onlyTheProxyLayerConfiguresFunctionsThroughThePublicBuilder() {
    noClasses().that().resideInAPackage(INTERNAL)
        .and().resideOutsideOfPackage("io.tiercache.internal.proxy..")
        .should().dependOnClassesThat().belongToAnyOf(CachedFunctionBuilder.class)
        .because("@Cached methods are turned into builder calls, as a user would write them;"
            + " the engines below never see the builder")
        .check(CORE);
  }

  @Test
  void theApiAndSpiPackagesDoNotDependOnTheMachinery() {
    noClasses().that().resideInAnyPackage(SPI_AND_API_PACKAGES)
        .should().dependOnClassesThat().resideInAPackage(INTERNAL)
        .because("backend and codec authors implement these types; they must not need internals")
        .check(CORE);
  }

  @Test
  void onlyTheFrontDoorOfTheRootPackageUsesTheMachinery() {
    noClasses().that().resideInAPackage("io.tiercache")
        .and().doNotBelongToAnyOf(TierCache.class, TierCache.Builder.class, CachedFunctionBuilder.class,
            KeyParts.class)
        .and().haveNameNotMatching("io\\.tiercache\\.(TierCache|CachedFunctionBuilder)\\$.*")
        .should().dependOnClassesThat().resideInAPackage(INTERNAL)
        .because("the root package is vocabulary and front door")
        .check(CORE);
  }

  @Test
  void theMachineryPackagesFormNoCycle() {
    slices().matching("io.tiercache.internal.(*)..").should().beFreeOfCycles().check(CORE);
  }
}
