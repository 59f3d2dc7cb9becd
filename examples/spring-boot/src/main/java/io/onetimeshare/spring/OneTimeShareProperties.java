package io.onetimeshare.spring;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code onetimeshare.*} in a Spring Boot application's configuration. Names follow the standalone server's options
 * ({@code --max-size} is {@code onetimeshare.max-size}, and so on).
 *
 * @param path where the servlet is mapped, e.g. {@code /share/*} (its page, API and assets live below it)
 * @param storage {@code auto} (the application's Redis when Spring Data Redis has a Lettuce connection factory, else
 *     memory), {@code redis} or {@code memory}
 * @param maxSize largest secret
 * @param defaultTtl time to live when a request names none
 * @param rateCreate creates per client, e.g. {@code 100/1h}, or {@code off}
 * @param rateOpen opens, peeks and deletes per client, or {@code off}
 * @param redisPrefix key prefix in the application's Redis (one per application sharing a Redis)
 * @param redisTimeout longest wait for Redis before a request answers 503
 * @param publicUrl the public URL links are built on (set it on any public deployment)
 * @param trustedProxies proxies whose {@code X-Forwarded-For} is believed (comma-separated addresses or CIDRs)
 * @since 0.3
 */
@ConfigurationProperties("onetimeshare")
public record OneTimeShareProperties(
    @DefaultValue("/share/*") String path,
    @DefaultValue("auto") String storage,
    @DefaultValue("10MB") DataSize maxSize,
    @DefaultValue("1d") Duration defaultTtl,
    @DefaultValue("100/1h") String rateCreate,
    @DefaultValue("300/1h") String rateOpen,
    @DefaultValue("ots") String redisPrefix,
    @DefaultValue("2s") Duration redisTimeout,
    @Nullable String publicUrl,
    @DefaultValue("") String trustedProxies) {}
