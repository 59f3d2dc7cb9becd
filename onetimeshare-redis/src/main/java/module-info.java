/** The SecretVault and RateLimiter SPIs on Redis 7 (single node and Cluster) through Lettuce. */
@SuppressWarnings("requires-transitive-automatic") // Lettuce publishes no module descriptor
module io.onetimeshare.redis {
  exports io.onetimeshare.redis;

  // SecretVault, RateLimiter and friends appear in this module's API
  requires transitive io.onetimeshare.core;
  // RedisStore.using takes the host's Lettuce client (AbstractRedisClient): Lettuce appears in this module's API
  requires transitive lettuce.core;
  requires static transitive org.jspecify;
}
