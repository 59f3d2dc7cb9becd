package io.onetimeshare.spring;

import io.onetimeshare.StoreUnavailableException;
import io.onetimeshare.spi.BodyStore;
import io.onetimeshare.spi.EventOutbox;
import io.onetimeshare.spi.SecretVault;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * {@code /actuator/health/oneTimeShare} (issue 39): the store answers (a read of an id that cannot exist: never a
 * secret's), the object store answers when bodies live in one, and the notifier's backlog. A store that does not
 * answer is DOWN, as it answers 503 to every request that needs it. Details never name a secret.
 *
 * @since 0.3
 */
@AutoConfiguration(after = OneTimeShareAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(SecretVault.class)
@ConditionalOnEnabledHealthIndicator("oneTimeShare")
public class OneTimeShareHealthAutoConfiguration {
  private static final SecureRandom RANDOM = new SecureRandom();

  @Bean
  @ConditionalOnMissingBean(name = "oneTimeShareHealthIndicator")
  HealthIndicator oneTimeShareHealthIndicator(SecretVault vault, ObjectProvider<BodyStore> bodies,
      ObjectProvider<OneTimeShareRedis> redis, ObjectProvider<NotifierLifecycle> notifier) {
    return () -> {
      Health.Builder h = Health.up().withDetail("vault", vault.getClass().getSimpleName());
      OneTimeShareRedis r = redis.getIfAvailable();
      if (r != null) {
        h.withDetail("redis", r.describe());
      }
      byte[] probe = new byte[16];
      RANDOM.nextBytes(probe);
      try {
        var unused = vault.peek(Base64.getUrlEncoder().withoutPadding().encodeToString(probe));
      } catch (StoreUnavailableException e) {
        return h.down().withDetail("store", "unavailable: " + e.getMessage()).build();
      }
      BodyStore b = bodies.getIfAvailable();
      if (b != null) {
        try {
          var unused = b.keysBefore("b/0", 1);
          h.withDetail("objectStore", "answers");
        } catch (IOException | RuntimeException e) {
          return h.down().withDetail("objectStore", "unavailable: " + e.getClass().getSimpleName()).build();
        }
      }
      NotifierLifecycle n = notifier.getIfAvailable();
      if (n != null && n.notifier().isPresent()) {
        EventOutbox.Backlog backlog = n.notifier().get().backlog();
        h.withDetail("webhooksWaiting", backlog.waiting());
        backlog.oldestAge(Instant.now()).ifPresent(d -> h.withDetail("oldestWebhookSeconds", d.toSeconds()));
      }
      return h.build();
    };
  }
}
