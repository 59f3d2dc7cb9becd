package io.onetimeshare.redis;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.onetimeshare.spi.FallbackRateLimiter;
import io.onetimeshare.spi.RateLimit;
import io.onetimeshare.StoreUnavailableException;
import io.onetimeshare.memory.InMemoryRateLimiter;
import io.onetimeshare.testing.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue 19, finding 14: with its Redis gone, the limiter decides locally for a bounded time (still limiting), then
 * fails closed; when Redis is back, the shared budget decides again.
 */
class FallbackLimiterIT {
  @Test
  void aStoreOutageDegradesToTheLocalLimitForABoundedTimeThenFailsClosed() throws Exception {
    MutableClock clock = MutableClock.startingNow();
    try (RedisProcess redis = RedisProcess.start("--appendonly", "no");
         RedisStore store = RedisStore.connect(redis.uri(), Duration.ofMillis(500))) {
      RateLimit limit = RateLimit.parse("3/1h");
      FallbackRateLimiter limiter = FallbackRateLimiter.of(RedisRateLimiter.create(store, limit, "fb", "create"),
          InMemoryRateLimiter.builder(limit).clock(clock).build(), Duration.ofSeconds(30), clock);
      assertTrue(limiter.tryAcquire("client").allowed());
      assertFalse(limiter.degraded());
      redis.kill();
      // the local budget decides (and still limits: 3 per hour)
      for (int i = 0; i < 3; i++) {
        assertTrue(limiter.tryAcquire("client").allowed(), "local permit " + i);
      }
      assertTrue(limiter.degraded());
      assertFalse(limiter.tryAcquire("client").allowed(), "the fallback limits too");
      clock.advance(Duration.ofSeconds(31));
      assertThrows(StoreUnavailableException.class, () -> limiter.tryAcquire("other"), "fails closed after 30 s");
      redis.start();
      RedisFaultIT.eventually(() -> limiter.tryAcquire("client"));
      assertFalse(limiter.degraded(), "the shared budget decides again");
      int allowed = 0;
      for (int i = 0; i < 3; i++) {
        allowed += limiter.tryAcquire("client").allowed() ? 1 : 0;
      }
      org.junit.jupiter.api.Assertions.assertEquals(2, allowed, "Redis's budget: 3, one taken on recovery");
    }
  }
}
