/** The SecretVault and RateLimiter SPIs on Redis 7 (single node and Cluster) through Lettuce. */
module io.onetimeshare.redis {
  exports io.onetimeshare.redis;

  // SecretVault, RateLimiter and friends appear in this module's API
  requires transitive io.onetimeshare.core;
  requires lettuce.core;
  requires static transitive org.jspecify;
}
