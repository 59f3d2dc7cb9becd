package io.onetimeshare.spring;

import io.onetimeshare.redis.RedisRateLimiter;
import io.onetimeshare.redis.RedisSecretVault;
import io.onetimeshare.redis.RedisStore;
import io.onetimeshare.spi.RateLimit;
import io.onetimeshare.spi.RateLimiter;
import io.onetimeshare.spi.SecretVault;

/**
 * OneTimeShare's store on the application's Redis: the records' vault, the rate limiters and the sign-out revocations
 * share one {@link RedisStore} (one more connection on Spring Data Redis's Lettuce client, no second pool). A bean of
 * its own so that the other parts of the auto-configuration need no Lettuce type.
 *
 * @param store the store, closed with the context
 * @param prefix the prefix of every key
 * @since 0.3
 */
public record OneTimeShareRedis(RedisStore store, String prefix) implements AutoCloseable {
  SecretVault vault() {
    return RedisSecretVault.builder(store).prefix(prefix).build();
  }

  RateLimiter limiter(RateLimit limit, String name) {
    return RedisRateLimiter.create(store, limit, prefix, name);
  }


  /** A line for the health endpoint: the topology and what each change waits for. */
  String describe() {
    return store.describe();
  }

  @Override
  public void close() {
    store.close();
  }
}
