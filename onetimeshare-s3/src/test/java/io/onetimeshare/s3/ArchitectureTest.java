package io.onetimeshare.s3;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.onetimeshare.testing.ModuleRules;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
      .importPackages("io.onetimeshare.s3");

  @Test
  void coreInternalsStayInternal() {
    ModuleRules.internalStaysInternal(MAIN, "io.onetimeshare.s3");
  }

  @Test
  void secureRandomOnlyAndNoPrinting() {
    ModuleRules.secureRandomOnlyAndNoPrinting(MAIN);
  }

  /** Issue 20: no main class grows past 400 lines without saying why at its top. */
  @Test
  void noMainClassOver400LinesWithoutAWrittenReason() throws Exception {
    io.onetimeshare.testing.ModuleRules.noLongClassesWithoutAReason(java.nio.file.Path.of("src/main/java"));
  }
}
