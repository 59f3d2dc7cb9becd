/**
 * The vault and the rate limiter on Redis 7 (single node or Cluster) through Lettuce: {@link
 * io.onetimeshare.redis.RedisStore}, {@link io.onetimeshare.redis.RedisSecretVault}, {@link
 * io.onetimeshare.redis.RedisRateLimiter}.
 */
@NullMarked
package io.onetimeshare.redis;

import org.jspecify.annotations.NullMarked;
