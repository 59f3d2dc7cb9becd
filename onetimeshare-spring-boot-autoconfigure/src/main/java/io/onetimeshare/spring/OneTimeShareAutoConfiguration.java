package io.onetimeshare.spring;

import io.onetimeshare.InvalidArgumentException;
import io.onetimeshare.OneTimeShare;
import io.onetimeshare.file.FileSecretVault;
import io.onetimeshare.memory.InMemoryRateLimiter;
import io.onetimeshare.memory.InMemorySecretVault;
import io.onetimeshare.servlet.Branding;
import io.onetimeshare.servlet.CreatePolicy;
import io.onetimeshare.servlet.OneTimeShareServlet;
import io.onetimeshare.servlet.OptionValues;
import io.onetimeshare.servlet.ServletSettings;
import io.onetimeshare.servlet.notify.NotifyConfig;
import io.onetimeshare.spi.BodyStore;
import io.onetimeshare.spi.RateLimit;
import io.onetimeshare.spi.RateLimiter;
import io.onetimeshare.spi.SecretVault;
import io.onetimeshare.spi.ShareEvents;
import io.onetimeshare.split.SplitVault;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * OneTimeShare in a Spring Boot application (issue 39): add {@code onetimeshare-spring-boot-starter}, set {@code
 * onetimeshare.*}, and the page and HTTP API v1 are served at {@code onetimeshare.path}. Secrets live in the
 * application's own Redis when Spring Data Redis has a Lettuce connection factory (single node, Sentinel or Cluster,
 * through that factory's client), in a directory, or in memory; bodies optionally in an S3-compatible bucket. Limits
 * live beside the secrets, events go to Micrometer, webhooks to a notifier that starts and stops with the context,
 * and who may create is Spring Security's decision ({@link OneTimeShareSecurityAutoConfiguration}). Every bean backs
 * off when the application defines its own, and {@code onetimeshare.enabled=false} turns it all off.
 *
 * @since 0.3
 */
@AutoConfiguration(afterName = {"org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
    "org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration",
    // the application's MeterRegistry must be defined before OnMicrometer's condition looks for it
    "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass(OneTimeShareServlet.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnBooleanProperty(name = "onetimeshare.enabled", matchIfMissing = true)
@EnableConfigurationProperties(OneTimeShareProperties.class)
@Import({OnTheApplicationsRedis.class, OnAnObjectStore.class, OnMicrometer.class, WithNotifications.class})
public class OneTimeShareAutoConfiguration {

  /** The records' vault: the application's Redis, a directory or memory, as {@code onetimeshare.storage} says. */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  SecretVault oneTimeShareVault(ObjectProvider<OneTimeShareRedis> redis, ObjectProvider<BodyStore> bodies,
      ObjectProvider<ShareEvents> events, OneTimeShareProperties p) {
    OneTimeShareRedis r = redis.getIfAvailable();
    ShareEvents e = events.getIfAvailable(() -> ShareEvents.NONE);
    SecretVault records = switch (p.storage()) {
      case REDIS -> {
        if (r == null) {
          throw new InvalidArgumentException("onetimeshare.storage=redis needs Spring Data Redis with a Lettuce "
              + "connection factory (spring-boot-starter-data-redis and spring.data.redis.*).");
        }
        yield r.vault();
      }
      case AUTO -> r != null ? r.vault() : memory(p, e);
      case FILE -> FileSecretVault.builder(Path.of(p.file().dataDir())).events(e).build();
      case MEMORY -> memory(p, e);
    };
    if (p.bodies() == OneTimeShareProperties.Bodies.VAULT) {
      return records;
    }
    BodyStore store = bodies.getIfAvailable();
    if (store == null) {
      records.close();
      throw new InvalidArgumentException("onetimeshare.bodies=s3 needs onetimeshare-s3 on the class path and "
          + "onetimeshare.s3.bucket.");
    }
    return SplitVault.builder(records, store).sweepInterval(p.s3().sweepInterval())
        .largestBody(SplitVault.sealedBound(p.maxSize().toBytes())).build();
  }

  private static SecretVault memory(OneTimeShareProperties p, ShareEvents events) {
    return InMemorySecretVault.builder().events(events).maxBytes(memoryCapacity(p)).build();
  }

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  OneTimeShare oneTimeShare(SecretVault vault, ObjectProvider<ShareEvents> events, ObjectProvider<NotifyConfig> notify,
      OneTimeShareProperties p) {
    OneTimeShare.Builder b = OneTimeShare.builder().vault(vault).events(events.getIfAvailable(() -> ShareEvents.NONE))
        .maxContentBytes(p.maxSize().toBytes())
        .ttl(java.time.Duration.ofMinutes(1), p.defaultTtl(), p.maxTtl());
    NotifyConfig n = notify.getIfAvailable();
    if (n != null) {
      b.notifyEndpoints(n.targets());
    }
    return b.build();
  }

  /** The page's branding from {@code onetimeshare.page.*}. */
  @Bean
  @ConditionalOnMissingBean
  Branding oneTimeShareBranding(OneTimeShareProperties p) {
    OneTimeShareProperties.Page page = p.page();
    return Branding.parse(name -> switch (name) {
      case "brand-name" -> page.brandName();
      case "brand-logo" -> page.brandLogo();
      case "brand-accent" -> page.brandAccent();
      case "brand-footer-links" -> page.brandFooterLinks().isEmpty() ? null
          : String.join(",", page.brandFooterLinks());
      case "brand-notice" -> page.brandNotice();
      default -> null;
    }, "onetimeshare.page.");
  }

  @Bean
  @ConditionalOnMissingBean(name = "oneTimeShareServlet")
  ServletRegistrationBean<OneTimeShareServlet> oneTimeShareServlet(OneTimeShare ots,
      ObjectProvider<OneTimeShareRedis> redis, ObjectProvider<CreatePolicy> policy, ObjectProvider<NotifyConfig> notify, Branding branding,
      OneTimeShareProperties p) {
    OneTimeShareRedis r = redis.getIfAvailable();
    ServletSettings.Builder b = ServletSettings.builder().branding(branding)
        .createPolicy(policy.getIfAvailable(() -> fixedPolicy(p.create().access())));
    BiFunction<RateLimit, String, RateLimiter> limiter = (limit, name) -> r != null ? r.limiter(limit, name)
        : InMemoryRateLimiter.builder(limit).build();
    // the byte budget's "auto" is a share of what the store holds: the memory vault's capacity when secrets live there
    long capacity = r == null && (p.storage() == OneTimeShareProperties.Storage.MEMORY
        || p.storage() == OneTimeShareProperties.Storage.AUTO) ? memoryCapacity(p) : 4L << 30;
    rate(p.limits().create(), "onetimeshare.limits.create", false, capacity).ifPresent(l -> b.createLimiter(
        limiter.apply(l, "create")));
    rate(p.limits().open(), "onetimeshare.limits.open", false, capacity).ifPresent(l -> b.openLimiter(
        limiter.apply(l, "open")));
    rate(p.limits().createBytes(), "onetimeshare.limits.create-bytes", true, capacity)
        .ifPresent(l -> b.createBytesLimiter(limiter.apply(l, "create-bytes")));
    if (!p.trustedProxies().isBlank()) {
      b.trustedProxies(p.trustedProxies());
    }
    String url = p.publicUrl();
    if (url != null && !url.isBlank()) {
      b.publicUrl(URI.create(url));
    }
    NotifyConfig n = notify.getIfAvailable();
    if (n != null && n.callbacks()) {
      b.notifyCallbacks(n.policy());
    }
    ServletRegistrationBean<OneTimeShareServlet> reg =
        new ServletRegistrationBean<>(new OneTimeShareServlet(ots, b.build()), p.path());
    reg.setName("oneTimeShareServlet");
    reg.setAsyncSupported(true);
    return reg;
  }

  /** The policy for {@code anyone} and {@code nobody}; the others need Spring Security. */
  static CreatePolicy fixedPolicy(OneTimeShareProperties.Access access) {
    return switch (access) {
      case ANYONE -> CreatePolicy.anyone();
      case NOBODY -> CreatePolicy.nobody();
      case AUTHENTICATED, AUTHORITY -> throw new InvalidArgumentException("onetimeshare.create.access="
          + access.name().toLowerCase(java.util.Locale.ROOT) + " needs Spring Security on the class path "
          + "(spring-boot-starter-security).");
    };
  }

  private static long memoryCapacity(OneTimeShareProperties p) {
    org.springframework.util.unit.@Nullable DataSize c = p.memory().capacity();
    return c != null ? c.toBytes() : InMemorySecretVault.Builder.defaultMaxBytes();
  }

  private static Optional<RateLimit> rate(String spec, String name, boolean bytes, long capacity) {
    try {
      if (bytes && spec.trim().equalsIgnoreCase("auto")) {
        return Optional.of(OptionValues.defaultByteBudget(capacity));
      }
      return bytes ? OptionValues.byteRate(spec) : OptionValues.rate(spec);
    } catch (InvalidArgumentException e) {
      throw new InvalidArgumentException(name + ": " + e.getMessage());
    }
  }
}
