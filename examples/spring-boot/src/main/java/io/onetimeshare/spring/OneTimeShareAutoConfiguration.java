package io.onetimeshare.spring;

import io.onetimeshare.OneTimeShare;
import io.onetimeshare.memory.InMemoryRateLimiter;
import io.onetimeshare.memory.InMemorySecretVault;
import io.onetimeshare.redis.RedisRateLimiter;
import io.onetimeshare.redis.RedisSecretVault;
import io.onetimeshare.redis.RedisStore;
import io.onetimeshare.servlet.OneTimeShareServlet;
import io.onetimeshare.servlet.ServletSettings;
import io.onetimeshare.spi.RateLimit;
import io.onetimeshare.spi.RateLimiter;
import io.onetimeshare.spi.SecretVault;
import io.onetimeshare.spi.ShareEvents;
import java.net.URI;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * OneTimeShare in a Spring Boot application: add the dependency, set {@code onetimeshare.*}, and the servlet is mapped
 * at {@code onetimeshare.path}. The vault lives in the application's own Redis when Spring Data Redis has a Lettuce
 * connection factory (through that factory's client: one more connection on its event loops, no second pool), else
 * in memory; the rate limiters live beside it; events go to a {@code ShareEvents} bean of the application's, else to
 * Micrometer when a registry is there. Every bean backs off when the application defines its own.
 *
 * @since 0.3
 */
@AutoConfiguration(afterName = {"org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
    "org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration"})
@ConditionalOnClass(OneTimeShareServlet.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(OneTimeShareProperties.class)
public class OneTimeShareAutoConfiguration {

  /** The application's Redis, through Spring Data Redis's Lettuce client. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory")
  static class OnTheApplicationsRedis {
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    @ConditionalOnBean(org.springframework.data.redis.connection.RedisConnectionFactory.class)
    @Nullable RedisStore oneTimeShareRedisStore(
        org.springframework.data.redis.connection.RedisConnectionFactory connections, OneTimeShareProperties p) {
      if (p.storage().toLowerCase(Locale.ROOT).equals("memory")
          || !(connections instanceof org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory factory)) {
        return null; // memory asked for, or a Jedis factory: no Lettuce client to share
      }
      if (!factory.isRunning()) {
        factory.start(); // creates the client (Spring Data Redis starts it early by default)
      }
      io.lettuce.core.AbstractRedisClient client = factory.getNativeClient();
      if (client == null) {
        throw new IllegalStateException("Spring Data Redis's Lettuce connection factory has no client.");
      }
      return RedisStore.using(client, p.redisTimeout());
    }
  }

  @Bean
  @ConditionalOnMissingBean
  SecretVault oneTimeShareVault(ObjectProvider<RedisStore> store, OneTimeShareProperties p) {
    RedisStore s = store.getIfAvailable();
    if (s == null && p.storage().equalsIgnoreCase("redis")) {
      throw new IllegalStateException("onetimeshare.storage=redis needs Spring Data Redis with a Lettuce connection "
          + "factory (spring-boot-starter-data-redis and spring.data.redis.*).");
    }
    return s != null ? RedisSecretVault.builder(s).prefix(p.redisPrefix()).build()
        : InMemorySecretVault.builder().build();
  }

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
  @ConditionalOnBean(type = "io.micrometer.core.instrument.MeterRegistry")
  ShareEvents oneTimeShareMetrics(io.micrometer.core.instrument.MeterRegistry registry) {
    return new MicrometerShareEvents(registry);
  }

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  OneTimeShare oneTimeShare(SecretVault vault, ObjectProvider<ShareEvents> events, OneTimeShareProperties p) {
    return OneTimeShare.builder().vault(vault).events(events.getIfAvailable(() -> ShareEvents.NONE))
        .maxContentBytes(p.maxSize().toBytes()).defaultTtl(p.defaultTtl()).build();
  }

  @Bean
  @ConditionalOnMissingBean(name = "oneTimeShareServlet")
  ServletRegistrationBean<OneTimeShareServlet> oneTimeShareServlet(OneTimeShare ots, ObjectProvider<RedisStore> store,
      OneTimeShareProperties p) {
    RedisStore s = store.getIfAvailable();
    ServletSettings.Builder b = ServletSettings.builder();
    RateLimiter create = limiter(p.rateCreate(), s, p.redisPrefix(), "create");
    RateLimiter open = limiter(p.rateOpen(), s, p.redisPrefix(), "open");
    if (create != null) {
      b.createLimiter(create);
    }
    if (open != null) {
      b.openLimiter(open);
    }
    if (!p.trustedProxies().isBlank()) {
      b.trustedProxies(p.trustedProxies());
    }
    String url = p.publicUrl();
    if (url != null && !url.isBlank()) {
      b.publicUrl(URI.create(url));
    }
    ServletRegistrationBean<OneTimeShareServlet> r =
        new ServletRegistrationBean<>(new OneTimeShareServlet(ots, b.build()), p.path());
    r.setName("oneTimeShareServlet");
    return r;
  }

  private static @Nullable RateLimiter limiter(String spec, @Nullable RedisStore store, String prefix, String name) {
    if (spec.trim().equalsIgnoreCase("off")) {
      return null;
    }
    RateLimit limit = RateLimit.parse(spec);
    return store != null ? RedisRateLimiter.create(store, limit, prefix, name)
        : InMemoryRateLimiter.builder(limit).build();
  }
}
