package io.onetimeshare.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.onetimeshare.InvalidArgumentException;
import io.onetimeshare.spi.RateDecision;
import io.onetimeshare.spi.RateLimit;
import io.onetimeshare.spi.RateLimiter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The {@link RateLimiter} contract. Every limiter runs it by extending this class (core's test-jar publishes it):
 * memory, Redis single node, Redis Cluster; a host implementing the SPI runs the same suite. The properties here do
 * not depend on the passage of time (limits are chosen so refills within a test run cannot matter); refills and
 * expiry are tested per implementation, with a clock where it can be moved.
 */
public abstract class RateLimiterContract {

  /** A fresh limiter enforcing {@code limit}, with buckets no other limiter of this test shares. */
  protected abstract RateLimiter createLimiter(RateLimit limit, String name) throws Exception;

  /** A second limiter instance on the same store and name (another "process"); default: the same instance. */
  protected RateLimiter createPeer(RateLimiter first, RateLimit limit, String name) throws Exception {
    return first;
  }

  private static String name() {
    return UUID.randomUUID().toString().substring(0, 12);
  }

  @Test
  void burstThenRefusalWithRetryAfter() throws Exception {
    RateLimiter l = createLimiter(RateLimit.parse("10/1h"), name());
    for (int i = 0; i < 10; i++) {
      RateDecision d = l.tryAcquire("1.2.3.4");
      assertTrue(d.allowed(), "request " + i);
      assertEquals(9 - i, d.remaining());
      assertEquals(10, d.limit());
    }
    RateDecision no = l.tryAcquire("1.2.3.4");
    assertFalse(no.allowed());
    assertEquals(0, no.remaining());
    assertTrue(no.retryAfter().compareTo(Duration.ofMinutes(5)) > 0
        && no.retryAfter().compareTo(Duration.ofMinutes(6)) <= 0, "one permit every 6 min: " + no);
    assertTrue(l.tryAcquire("5.6.7.8").allowed(), "keys are independent");
  }

  /** A byte budget: permits taken many at once, all or none. */
  @Test
  void permitsTakenInBulkAllOrNone() throws Exception {
    String name = name();
    RateLimit limit = new RateLimit(1_000_000, Duration.ofHours(1));
    RateLimiter a = createLimiter(limit, name);
    RateLimiter b = createPeer(a, limit, name);
    assertTrue(a.tryAcquire("c", 600_000).allowed());
    RateDecision no = b.tryAcquire("c", 500_000);
    assertFalse(no.allowed(), "600,000 + 500,000 is over the budget");
    assertTrue(no.retryAfter().compareTo(Duration.ofMinutes(5)) > 0, no.toString());
    assertTrue(b.tryAcquire("c", 400_000).allowed(), "the refusal took nothing");
    assertFalse(a.tryAcquire("c", 10_000).allowed(), "spent (10,000 permits take 36 s to refill)");
    assertFalse(a.tryAcquire("other", 1_000_001).allowed(), "more than a burst is never admitted");
    assertTrue(a.tryAcquire("other", 1_000_000).allowed());
    assertThrows(InvalidArgumentException.class, () -> a.tryAcquire("c", 0));
  }

  @Test
  void concurrentCallersTogetherGetNoMoreThanTheLimit() throws Exception {
    String name = name();
    RateLimit limit = RateLimit.parse("50/1h");
    RateLimiter a = createLimiter(limit, name);
    RateLimiter b = createPeer(a, limit, name);
    int threads = 16;
    AtomicInteger admitted = new AtomicInteger();
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        RateLimiter l = t % 2 == 0 ? a : b;
        fs.add(pool.submit(() -> {
          start.await(10, TimeUnit.SECONDS);
          for (int i = 0; i < 10; i++) {
            if (l.tryAcquire("shared").allowed()) {
              admitted.incrementAndGet();
            }
          }
          return null;
        }));
      }
      for (Future<?> f : fs) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(50, admitted.get(), "160 racing requests against 50/1h on two instances");
  }

  @Test
  void reportsItsLimit() throws Exception {
    RateLimit limit = RateLimit.parse("7/15m");
    assertEquals(limit, createLimiter(limit, name()).limit());
  }
}
