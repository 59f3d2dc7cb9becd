package io.onetimeshare.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.onetimeshare.InvalidArgumentException;
import io.onetimeshare.spi.RateDecision;
import io.onetimeshare.spi.RateLimit;
import io.onetimeshare.testing.MutableClock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class InMemoryRateLimiterTest extends io.onetimeshare.testing.RateLimiterContract {
  @Override
  protected io.onetimeshare.spi.RateLimiter createLimiter(RateLimit limit, String name) {
    return InMemoryRateLimiter.builder(limit).build();
  }

  private final MutableClock clock = MutableClock.startingNow();

  private InMemoryRateLimiter limiter(String spec) {
    return InMemoryRateLimiter.builder(RateLimit.parse(spec)).clock(clock).build();
  }

  @Test
  void burstThenRefuseWithRetryAfter() {
    InMemoryRateLimiter l = limiter("10/1m");
    for (int i = 0; i < 10; i++) {
      RateDecision d = l.tryAcquire("1.2.3.4");
      assertTrue(d.allowed(), "request " + i);
      assertEquals(9 - i, d.remaining());
      assertEquals(10, d.limit());
    }
    RateDecision refused = l.tryAcquire("1.2.3.4");
    assertFalse(refused.allowed());
    assertEquals(0, refused.remaining());
    assertEquals(Duration.ofSeconds(6), refused.retryAfter());
    assertTrue(l.tryAcquire("5.6.7.8").allowed(), "keys are independent");
  }

  @Test
  void refusalsCostNothingAndPermitsRefillEvenly() {
    InMemoryRateLimiter l = limiter("10/1m");
    for (int i = 0; i < 10; i++) {
      l.tryAcquire("k");
    }
    for (int i = 0; i < 100; i++) {
      assertFalse(l.tryAcquire("k").allowed());
    }
    clock.advance(Duration.ofSeconds(6));
    assertTrue(l.tryAcquire("k").allowed());
    assertFalse(l.tryAcquire("k").allowed());
    clock.advance(Duration.ofMinutes(1));
    RateDecision d = l.tryAcquire("k");
    assertTrue(d.allowed());
    assertEquals(9, d.remaining(), "a full minute refills the whole burst");
  }

  @ParameterizedTest
  @CsvSource({"100/1h,100,3600", "10/s,10,1", "500/15m,500,900", "1/1d,1,86400", "5 / 30s,5,30", "7/2H,7,7200"})
  void parsesRates(String text, long permits, long seconds) {
    RateLimit r = RateLimit.parse(text);
    assertEquals(permits, r.permits());
    assertEquals(Duration.ofSeconds(seconds), r.period());
    assertEquals(r, RateLimit.parse(r.toString()));
  }

  /** Found by RateLimitFuzzTest: "4/4001ms" printed as "4/4s" and did not read back. */
  @Test
  void millisecondPeriodsRoundTrip() {
    RateLimit r = RateLimit.parse("4/4001ms");
    assertEquals("4/4001ms", r.toString());
    assertEquals(r, RateLimit.parse(r.toString()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "100", "/1h", "0/1h", "100/0h", "100/1y", "-1/1h", "100/1h extra", "9999999999999/1h", "99999999999999/1h",
      "1/999999999d", "1/500ms", "abc", "100//1h"})
  void rejectsMalformedRates(String text) {
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> RateLimit.parse(text));
    assertFalse(e.getMessage().isBlank());
  }
}
