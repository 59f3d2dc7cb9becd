package io.onetimeshare.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;

/** Architecture rules every module checks with ArchUnit (shared through core's test-jar). */
public final class ModuleRules {
  private ModuleRules() {}

  /** Main code of the module in {@code modulePackage} never reaches into another module's internal packages. */
  public static void internalStaysInternal(JavaClasses classes, String modulePackage) {
    String own = modulePackage.endsWith("..") ? modulePackage : modulePackage + "..";
    noClasses().that().resideInAPackage(own)
        .should().dependOnClassesThat().resideInAPackage("io.onetimeshare.internal..")
        .because("core's internal package is not API")
        .check(classes);
  }

  /** No weak randomness and no printing to stdout/stderr in main code. */
  public static void secureRandomOnlyAndNoPrinting(JavaClasses classes) {
    noClasses().should().dependOnClassesThat()
        .haveFullyQualifiedName("java.util.Random")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.concurrent.ThreadLocalRandom")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.SplittableRandom")
        .orShould().callMethod(Math.class, "random")
        .because("ids, keys, salts, nonces and tokens come from SecureRandom only")
        .check(classes);
    noClasses().should().accessField(System.class, "out").orShould().accessField(System.class, "err")
        .orShould().callMethod(Throwable.class, "printStackTrace")
        .because("libraries log through a logger, and never log secrets")
        .check(classes);
  }

  /**
   * Fails for every Java file under {@code sources} longer than 400 lines whose first 30 lines do not give a reason in
   * a comment starting "Longer than 400 lines:" (issue 20: each part small enough to read in one sitting).
   */
  public static void noLongClassesWithoutAReason(java.nio.file.Path sources) throws java.io.IOException {
    java.util.List<String> long_ = new java.util.ArrayList<>();
    try (var files = java.nio.file.Files.walk(sources)) {
      for (java.nio.file.Path f : (Iterable<java.nio.file.Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
        java.util.List<String> lines = java.nio.file.Files.readAllLines(f);
        boolean reason = lines.stream().limit(30).anyMatch(l -> l.contains("Longer than 400 lines:"));
        if (lines.size() > 400 && !reason) {
          long_.add(sources.relativize(f) + " (" + lines.size() + " lines)");
        }
      }
    }
    org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of(), long_,
        "split these, or say at the top why not (\"Longer than 400 lines: ...\")");
  }
}
