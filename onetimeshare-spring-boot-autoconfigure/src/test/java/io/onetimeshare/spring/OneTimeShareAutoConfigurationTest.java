package io.onetimeshare.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.onetimeshare.OneTimeShare;
import io.onetimeshare.file.FileSecretVault;
import io.onetimeshare.memory.InMemorySecretVault;
import io.onetimeshare.servlet.Branding;
import io.onetimeshare.servlet.CreatePolicy;
import io.onetimeshare.servlet.OneTimeShareServlet;
import io.onetimeshare.servlet.notify.NotifyConfig;
import io.onetimeshare.spi.SecretVault;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the auto-configuration makes of properties, and how it backs off (issue 39): each case in a fresh context,
 * without a server. The Redis, Spring Security, Actuator and S3 cases run on real servers in the Spring Boot
 * example's tests.
 */
class OneTimeShareAutoConfigurationTest {
  private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(OneTimeShareAutoConfiguration.class,
          OneTimeShareSecurityAutoConfiguration.class, OneTimeShareHealthAutoConfiguration.class))
      // Spring Security is on this module's test class path only through optional dependencies it does not use
      .withClassLoader(new FilteredClassLoader("org.springframework.security.config"));

  @Test
  void outOfTheBoxTheServletIsMappedOnAMemoryVaultForAnyone() {
    runner.run(c -> {
      assertThat(c).hasNotFailed();
      assertThat(c.getBean(SecretVault.class)).isInstanceOf(InMemorySecretVault.class);
      ServletRegistrationBean<?> r = c.getBean("oneTimeShareServlet", ServletRegistrationBean.class);
      assertThat(r.getServlet()).isInstanceOf(OneTimeShareServlet.class);
      assertThat(r.getUrlMappings()).containsExactly("/share/*");
      assertThat(c.getBeanProvider(NotifyConfig.class).getIfAvailable()).isNull(); // no webhooks asked for
      assertThat(c.getBean(NotifierLifecycle.class).notifier()).isEmpty();
    });
  }

  @Test
  void propertiesReachTheLibrary(@TempDir Path dir) {
    runner.withPropertyValues("onetimeshare.path=/secrets/*", "onetimeshare.storage=file",
        "onetimeshare.file.data-dir=" + dir, "onetimeshare.max-size=3MB", "onetimeshare.default-ttl=2h",
        "onetimeshare.max-ttl=3d", "onetimeshare.page.brand-name=Acme Secrets",
        "onetimeshare.page.brand-accent=#2f6fed").run(c -> {
          assertThat(c).hasNotFailed();
          assertThat(c.getBean(SecretVault.class)).isInstanceOf(FileSecretVault.class);
          OneTimeShare ots = c.getBean(OneTimeShare.class);
          assertThat(ots.settings().maxContentBytes()).isEqualTo(3L << 20);
          assertThat(ots.settings().defaultTtl()).hasHours(2);
          assertThat(ots.settings().maxTtl()).hasDays(3);
          assertThat(c.getBean(Branding.class).name()).isEqualTo("Acme Secrets");
          assertThat(c.getBean("oneTimeShareServlet", ServletRegistrationBean.class).getUrlMappings())
              .containsExactly("/secrets/*");
        });
  }

  @Test
  void badValuesFailTheStartWithTheirPropertysName() {
    runner.withPropertyValues("onetimeshare.limits.create=lots").run(c -> assertThat(c).hasFailed()
        .getFailure().rootCause().hasMessageStartingWith("onetimeshare.limits.create: "));
    runner.withPropertyValues("onetimeshare.page.brand-accent=blue").run(c -> assertThat(c).hasFailed()
        .getFailure().rootCause().hasMessageContaining("onetimeshare.page.brand-*"));
    runner.withPropertyValues("onetimeshare.storage=redis").run(c -> assertThat(c).hasFailed()
        .getFailure().rootCause().hasMessageContaining("onetimeshare.storage=redis needs Spring Data Redis"));
    runner.withPropertyValues("onetimeshare.bodies=s3").run(c -> assertThat(c).hasFailed()
        .getFailure().rootCause().hasMessageContaining("onetimeshare.s3.bucket"));
  }

  @Test
  void signInPoliciesNeedSpringSecurityAndSaySo() {
    runner.withPropertyValues("onetimeshare.create.access=authenticated").run(c -> assertThat(c).hasFailed()
        .getFailure().rootCause().hasMessageContaining("needs Spring Security on the class path"));
    runner.withPropertyValues("onetimeshare.create.access=nobody").run(c -> {
      assertThat(c).hasNotFailed();
      assertThat(c).doesNotHaveBean(CreatePolicy.class); // the fixed policy goes straight to the servlet
    });
  }

  @Test
  void webhooksFromPropertiesWithTheirSecretInAFile(@TempDir Path dir) throws Exception {
    Path secret = Files.writeString(dir.resolve("ops.secret"), "whsec_" + java.util.Base64.getEncoder()
        .encodeToString(new byte[32]));
    runner.withPropertyValues("onetimeshare.notify.endpoints.ops.url=https://127.0.0.1/ots",
        "onetimeshare.notify.allow-ranges=127.0.0.0/8", "onetimeshare.notify.endpoints.ops.secret-file=" + secret, "onetimeshare.notify.endpoints.ops.events=opened",
        "onetimeshare.notify.timeout=5s").run(c -> {
          assertThat(c).hasNotFailed();
          NotifyConfig n = c.getBean(NotifyConfig.class);
          assertThat(n.endpoints()).singleElement().satisfies(e -> {
            assertThat(e.name()).isEqualTo("ops");
            assertThat(e.url()).isEqualTo("https://127.0.0.1/ots");
            assertThat(e.events()).containsExactly(io.onetimeshare.spi.EventType.OPENED);
          });
          assertThat(n.attemptTimeout()).hasSeconds(5);
          NotifierLifecycle l = c.getBean(NotifierLifecycle.class);
          assertThat(l.notifier()).isPresent();
          assertThat(l.isRunning()).isTrue(); // started with the context
          c.close();
          assertThat(l.isRunning()).isFalse(); // and stopped with it
        });
    runner.withPropertyValues("onetimeshare.notify.endpoints.ops.url=https://127.0.0.1/ots",
        "onetimeshare.notify.allow-ranges=127.0.0.0/8").run(c ->
        assertThat(c).hasFailed().getFailure().rootCause().hasMessageContaining("secret"));
  }

  @Test
  void theApplicationsOwnBeansWinAndDisabledMeansNothing() {
    runner.withUserConfiguration(OwnVault.class).run(c -> {
      assertThat(c).hasNotFailed();
      assertThat(c.getBean(SecretVault.class)).isSameAs(c.getBean(OwnVault.class).vault);
    });
    runner.withPropertyValues("onetimeshare.enabled=false").run(c -> {
      assertThat(c).hasNotFailed();
      assertThat(c).doesNotHaveBean(SecretVault.class).doesNotHaveBean(OneTimeShare.class)
          .doesNotHaveBean("oneTimeShareServlet");
    });
    runner.withClassLoader(new FilteredClassLoader(OneTimeShareServlet.class)).run(c ->
        assertThat(c).doesNotHaveBean(OneTimeShare.class));
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnVault {
    final SecretVault vault = InMemorySecretVault.builder().build();

    @Bean
    SecretVault myVault() {
      return vault;
    }
  }
}
