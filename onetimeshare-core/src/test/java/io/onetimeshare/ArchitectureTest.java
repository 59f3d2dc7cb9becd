package io.onetimeshare;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.onetimeshare.testing.ModuleRules;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
      .importPackages("io.onetimeshare");

  @Test
  void coreDependsOnNoAdapter() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage("jakarta..", "javax.servlet..", "io.lettuce..",
            "org.eclipse.jetty..", "org.apache.catalina..", "io.netty..", "reactor..")
        .because("core stands alone: adapters depend on core, never the reverse")
        .check(MAIN);
  }

  @Test
  void bouncyCastleOnlyInInternal() {
    noClasses().that().resideOutsideOfPackage("io.onetimeshare.internal..")
        .should().dependOnClassesThat().resideInAPackage("org.bouncycastle..")
        .check(MAIN);
  }

  @Test
  void caffeineOnlyInTheMemoryPackage() {
    noClasses().that().resideOutsideOfPackage("io.onetimeshare.memory..")
        .should().dependOnClassesThat().resideInAPackage("com.github.benmanes.caffeine..")
        .check(MAIN);
  }

  @Test
  void publicApiDoesNotExposeInternalOrThirdPartyTypes() {
    com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods()
        .that().arePublic().and().areDeclaredInClassesThat().arePublic()
        .and().areDeclaredInClassesThat().resideOutsideOfPackage("io.onetimeshare.internal..")
        .should().haveRawReturnType(com.tngtech.archunit.base.DescribedPredicate.not(
            com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage("io.onetimeshare.internal..",
                "org.bouncycastle..", "com.github.benmanes..")))
        .check(MAIN);
  }

  @Test
  void secureRandomOnlyAndNoPrinting() {
    ModuleRules.secureRandomOnlyAndNoPrinting(MAIN);
  }

  /** The facade's own classes: everything in the root package but the shared exception hierarchy. */
  private static final com.tngtech.archunit.base.DescribedPredicate<com.tngtech.archunit.core.domain.JavaClass> FACADE =
      com.tngtech.archunit.base.DescribedPredicate.describe(
          "the facade (io.onetimeshare, but the exceptions and SecretKind that both sides speak)",
          c -> c.getPackageName().equals("io.onetimeshare") && !c.isAssignableTo(OneTimeShareException.class)
              && !c.isEquivalentTo(SecretKind.class));

  /** Issue 20: what a storage implements never depends on what a user calls; only the exceptions are shared. */
  @Test
  void theSpiNeverDependsOnTheFacade() {
    noClasses().that().resideInAPackage("io.onetimeshare.spi..")
        .should().dependOnClassesThat(FACADE)
        .because("the SPI is what a vault, cipher, limiter or event sink implements; the facade builds on it")
        .check(MAIN);
  }

  /** Issue 20: the embedded vaults and limiter are implementations of the SPI, like the Redis ones. */
  @Test
  void vaultImplementationsDependOnlyOnTheSpi() {
    noClasses().that().resideInAnyPackage("io.onetimeshare.memory..", "io.onetimeshare.file..")
        .should().dependOnClassesThat(FACADE)
        .because("a vault sees opaque envelopes through the SPI, never the facade")
        .check(MAIN);
  }

  /** Issue 20: module-info exports the API and the SPI (and their value and implementation packages), never internal. */
  @Test
  void theModuleExportsApiAndSpiOnly() throws Exception {
    java.lang.module.ModuleDescriptor d;
    try (java.io.InputStream in = java.nio.file.Files.newInputStream(
        java.nio.file.Path.of("target/classes/module-info.class"))) {
      d = java.lang.module.ModuleDescriptor.read(in);
    }
    java.util.Set<String> exported = new java.util.TreeSet<>();
    d.exports().forEach(e -> {
      org.junit.jupiter.api.Assertions.assertFalse(e.isQualified(), e.source());
      exported.add(e.source());
    });
    org.junit.jupiter.api.Assertions.assertEquals(java.util.Set.of("io.onetimeshare", "io.onetimeshare.spi",
        "io.onetimeshare.crypto", "io.onetimeshare.memory", "io.onetimeshare.file", "io.onetimeshare.split"), exported);
  }

  /** Issue 20: no main class grows past 400 lines without saying why at its top. */
  @Test
  void noMainClassOver400LinesWithoutAWrittenReason() throws Exception {
    ModuleRules.noLongClassesWithoutAReason(java.nio.file.Path.of("src/main/java"));
  }
}
