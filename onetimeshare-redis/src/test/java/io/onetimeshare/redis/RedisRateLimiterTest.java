package io.onetimeshare.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.onetimeshare.RateDecision;
import io.onetimeshare.RateLimit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RedisRateLimiterTest {
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

  @Test
  void burstThenRefusalWithRetryAfter() {
    RedisRateLimiter l = RedisRateLimiter.create(a, RateLimit.parse("10/1m"), "t", UUID.randomUUID().toString());
    for (int i = 0; i < 10; i++) {
      RateDecision d = l.tryAcquire("1.2.3.4");
      assertTrue(d.allowed());
      assertEquals(9 - i, d.remaining());
    }
    RateDecision no = l.tryAcquire("1.2.3.4");
    assertFalse(no.allowed());
    assertTrue(no.retryAfter().compareTo(Duration.ofSeconds(5)) > 0
        && no.retryAfter().compareTo(Duration.ofSeconds(6)) <= 0, no.toString());
    assertTrue(l.tryAcquire("5.6.7.8").allowed());
  }

  /** A byte budget: permits taken many at once, all or none, shared by two instances. */
  @Test
  void permitsTakenInBulkAllOrNone() {
    String name = UUID.randomUUID().toString();
    RedisRateLimiter la = RedisRateLimiter.create(a, new RateLimit(1_000_000, Duration.ofHours(1)), "t", name);
    RedisRateLimiter lb = RedisRateLimiter.create(b, new RateLimit(1_000_000, Duration.ofHours(1)), "t", name);
    assertTrue(la.tryAcquire("c", 600_000).allowed());
    RateDecision no = lb.tryAcquire("c", 500_000);
    assertFalse(no.allowed(), "600,000 + 500,000 is over the budget");
    assertTrue(no.retryAfter().compareTo(Duration.ofMinutes(5)) > 0, no.toString());
    RateDecision yes = lb.tryAcquire("c", 400_000);
    assertTrue(yes.allowed(), "the refusal took nothing");
    assertFalse(la.tryAcquire("c", 10_000).allowed(), "spent (one permit refills every 3.6 ms, 10,000 take 36 s)");
    assertFalse(la.tryAcquire("other", 1_000_001).allowed(), "more than a burst is never admitted");
    assertTrue(la.tryAcquire("other", 1_000_000).allowed());
  }

  @Test
  void twoInstancesTogetherAdmitNoMoreThanTheLimit() throws Exception {
    String name = UUID.randomUUID().toString();
    RedisRateLimiter la = RedisRateLimiter.create(a, RateLimit.parse("50/1h"), "t", name);
    RedisRateLimiter lb = RedisRateLimiter.create(b, RateLimit.parse("50/1h"), "t", name);
    AtomicInteger allowed = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    List<Future<?>> fs = new ArrayList<>();
    for (int t = 0; t < 16; t++) {
      RedisRateLimiter l = t % 2 == 0 ? la : lb;
      fs.add(pool.submit(() -> {
        for (int i = 0; i < 20; i++) {
          if (l.tryAcquire("client").allowed()) {
            allowed.incrementAndGet();
          }
        }
      }));
    }
    for (Future<?> f : fs) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertEquals(50, allowed.get());
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
