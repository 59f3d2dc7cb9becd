package io.onetimeshare.spring;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The starter adds nothing an application does not want (issue 39): the classes Spring loads whatever the class path
 * holds must not touch an optional dependency, which only the configurations behind {@code @ConditionalOnClass} may.
 */
class ArchitectureTest {
  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.onetimeshare.spring");

  @Test
  void theUnconditionalPartsNeedNoOptionalDependency() {
    noClasses().that().haveSimpleNameStartingWith("OneTimeShareAutoConfiguration")
        .or().haveSimpleNameStartingWith("OneTimeShareProperties")
        .or().haveSimpleNameStartingWith("WithNotifications")
        .or().haveSimpleNameStartingWith("NotifierLifecycle")
        .should().dependOnClassesThat().resideInAnyPackage("io.lettuce..", "io.onetimeshare.redis..",
            "io.onetimeshare.s3..", "software.amazon..", "org.springframework.security..",
            "org.springframework.data..", "io.micrometer..", "org.springframework.boot.health..")
        .because("they load in every application; Redis, S3, Spring Security, Micrometer and Actuator are optional")
        .check(CLASSES);
  }

  @Test
  void onlyTheSecurityPartsKnowSpringSecurity() {
    noClasses().that().resideInAPackage("io.onetimeshare.spring")
        .and().haveNameNotMatching(".*\\.OneTimeShareSecurityAutoConfiguration(\\$.*)?")
        .and().haveSimpleNameNotStartingWith("SpringSecurityCreatePolicy")
        .should().dependOnClassesThat().resideInAPackage("org.springframework.security..")
        .check(CLASSES);
  }
}
