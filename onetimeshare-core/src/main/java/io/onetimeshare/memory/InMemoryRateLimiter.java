package io.onetimeshare.memory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.onetimeshare.InvalidArgumentException;
import io.onetimeshare.spi.RateDecision;
import io.onetimeshare.spi.RateLimit;
import io.onetimeshare.spi.RateLimiter;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * A {@link RateLimiter} in the JVM heap: GCRA (the generic cell rate algorithm, a token bucket kept as one timestamp
 * per key) on Caffeine, bounded in the number of keys it tracks. A key idle for one period is forgotten, which costs
 * nothing since its bucket would be full again by then. When more keys are active than the bound, the least recently
 * seen are forgotten first (they are treated as fresh, which errs on the lenient side).
 *
 * @since 0.1
 */
public final class InMemoryRateLimiter implements RateLimiter {
  private final RateLimit limit;
  private final Clock clock;
  private final long intervalNanos;
  private final long periodNanos;
  private final Cache<String, long[]> tats;

  private InMemoryRateLimiter(Builder b) {
    this.limit = Objects.requireNonNull(b.limit, "limit");
    this.clock = b.clock;
    this.periodNanos = limit.period().toNanos();
    this.intervalNanos = Math.max(1, periodNanos / limit.permits());
    this.tats = Caffeine.newBuilder()
        .maximumSize(b.maxKeys)
        .expireAfterAccess(limit.period())
        .build();
  }

  public static Builder builder(RateLimit limit) {
    return new Builder(limit);
  }

  @Override
  public RateDecision tryAcquire(String key, long permits) {
    Objects.requireNonNull(key, "key");
    if (permits < 1) {
      throw new InvalidArgumentException("permits must be at least 1");
    }
    long cost = permits > limit.permits() ? periodNanos + 1 : permits * intervalNanos; // more than a burst: never
    long now = nowNanos();
    RateDecision[] out = new RateDecision[1];
    tats.asMap().compute(key, (k, state) -> {
      long tat = state == null ? now : Math.max(state[0], now);
      long newTat = tat + cost;
      long allowAt = newTat - periodNanos;
      if (now < allowAt) {
        out[0] = new RateDecision(false, limit.permits(), 0, Duration.ofNanos(allowAt - now),
            Duration.ofNanos(tat - now));
        return state;
      }
      long remaining = Math.max(0, (periodNanos - (newTat - now)) / intervalNanos);
      out[0] = new RateDecision(true, limit.permits(), remaining, Duration.ZERO, Duration.ofNanos(newTat - now));
      return new long[] {newTat};
    });
    return out[0];
  }

  private long nowNanos() {
    java.time.Instant i = clock.instant();
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }

  @Override
  public RateLimit limit() {
    return limit;
  }

  /** Builds an {@link InMemoryRateLimiter}. */
  public static final class Builder {
    private final RateLimit limit;
    private Clock clock = Clock.systemUTC();
    private long maxKeys = 100_000;

    private Builder(RateLimit limit) {
      this.limit = Objects.requireNonNull(limit, "limit");
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Most keys tracked at once. Default 100,000. */
    public Builder maxKeys(long maxKeys) {
      if (maxKeys < 1) {
        throw new InvalidArgumentException("maxKeys must be at least 1");
      }
      this.maxKeys = maxKeys;
      return this;
    }

    public InMemoryRateLimiter build() {
      return new InMemoryRateLimiter(this);
    }
  }
}
