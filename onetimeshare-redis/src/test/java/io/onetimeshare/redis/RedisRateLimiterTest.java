package io.onetimeshare.redis;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.onetimeshare.spi.RateLimit;
import io.onetimeshare.spi.RateLimiter;
import io.onetimeshare.testing.RateLimiterContract;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The limiter contract on a real redis-server, the peer on a second connection (another "instance"). */
class RedisRateLimiterTest extends RateLimiterContract {
  static RedisProcess redis;
  static RedisStore a;
  static RedisStore b;

  @BeforeAll
  static void start() throws Exception {
    redis = RedisProcess.start("--appendonly", "no");
    a = RedisStore.connect(redis.uri());
    b = RedisStore.connect(redis.uri());
  }

  @AfterAll
  static void stop() throws Exception {
    a.close();
    b.close();
    redis.close();
  }

  @Override
  protected RateLimiter createLimiter(RateLimit limit, String name) {
    return RedisRateLimiter.create(a, limit, "t", name);
  }

  @Override
  protected RateLimiter createPeer(RateLimiter first, RateLimit limit, String name) {
    return RedisRateLimiter.create(b, limit, "t", name);
  }

  @Test
  void idleKeysExpire() throws Exception {
    String name = UUID.randomUUID().toString().substring(0, 8);
    RedisRateLimiter l = RedisRateLimiter.create(a, RateLimit.parse("10/1s"), "idle", name);
    l.tryAcquire("k");
    String ttl = redis.command("PTTL idle:rl:" + name + ":k").trim();
    long ms = Long.parseLong(ttl.substring(1));
    assertTrue(ms > 0 && ms <= 1000, "bucket key carries an expiry: " + ttl);
  }
}
