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
}
