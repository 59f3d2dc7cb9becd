package io.onetimeshare.spi;

import io.onetimeshare.InvalidArgumentException;
import io.onetimeshare.StoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * A shared limiter (Redis) that degrades instead of stopping when its store is unreachable: while the primary
 * throws {@link StoreUnavailableException}, decisions come from a local limiter of this instance, for at most
 * {@code maxOutage} from the first failure; after that it fails closed again (the caller answers 503) until the
 * primary answers. Without it, a Redis Cluster failover of the one slot that holds a client's budget key stopped that
 * client from creating for the length of the failover although the slots holding its secrets were healthy.
 *
 * <p>What it costs: during an outage each instance grants from its own budget, so a client can get up to (instances
 * x the fallback's burst) beyond its shared budget per outage window; the window bounds it. Exactly-once delivery
 * does not depend on the limiter and is unchanged. Thread-safe.
 *
 * @since 0.3
 */
public final class FallbackRateLimiter implements RateLimiter {
  private final RateLimiter primary;
  private final RateLimiter fallback;
  private final Duration maxOutage;
  private final Clock clock;
  /** When the current outage began; null while the primary answers. */
  private final AtomicReference<@Nullable Instant> outageSince = new AtomicReference<>();

  private FallbackRateLimiter(RateLimiter primary, RateLimiter fallback, Duration maxOutage, Clock clock) {
    this.primary = primary;
    this.fallback = fallback;
    this.maxOutage = maxOutage;
    this.clock = clock;
  }

  /**
   * {@code primary}, with {@code fallback} (typically an in-memory limiter of the same limit) deciding for at most
   * {@code maxOutage} while the primary's store is unreachable.
   */
  public static FallbackRateLimiter of(RateLimiter primary, RateLimiter fallback, Duration maxOutage, Clock clock) {
    Objects.requireNonNull(primary, "primary");
    Objects.requireNonNull(fallback, "fallback");
    Objects.requireNonNull(clock, "clock");
    if (maxOutage.isNegative()) {
      throw new InvalidArgumentException("maxOutage must not be negative");
    }
    return new FallbackRateLimiter(primary, fallback, maxOutage, clock);
  }

  @Override
  public RateDecision tryAcquire(String key, long permits) {
    RateDecision d;
    try {
      d = primary.tryAcquire(key, permits);
    } catch (StoreUnavailableException e) {
      return primaryFailed(key, permits, e); // too long an outage: fail closed, as without a fallback
    }
    primaryAnswered();
    return d;
  }

  /**
   * The shared limiter this one asks first. A store that charges budgets in the same script as the operation they
   * guard (the Redis vault, issue 35) charges this one's budget there and reports back through {@link
   * #primaryAnswered()} and {@link #primaryFailed}, so the fallback works as if {@link #tryAcquire} had been called.
   *
   * @since 0.3
   */
  public RateLimiter primary() {
    return primary;
  }

  /** The primary answered a charge made for this limiter elsewhere: the outage, if any, is over. @since 0.3 */
  public void primaryAnswered() {
    outageSince.set(null);
  }

  /**
   * The primary failed a charge made for this limiter elsewhere: the fallback decides, or {@code cause} is thrown
   * when the outage has lasted longer than allowed. @since 0.3
   */
  public RateDecision primaryFailed(String key, long permits, StoreUnavailableException cause) {
    Instant now = clock.instant();
    outageSince.compareAndSet(null, now);
    Instant since = Objects.requireNonNullElse(outageSince.get(), now);
    if (Duration.between(since, now).compareTo(maxOutage) >= 0) {
      throw cause;
    }
    return fallback.tryAcquire(key, permits);
  }

  /** Whether decisions currently come from the fallback (for metrics and health). */
  public boolean degraded() {
    return outageSince.get() != null;
  }

  @Override
  public RateLimit limit() {
    return primary.limit();
  }
}
