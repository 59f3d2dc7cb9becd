package io.onetimeshare.spi;

import io.onetimeshare.StoreUnavailableException;

/**
 * Admits or refuses requests per key (a client address, say) under one {@link RateLimit}.
 *
 * <p>Contract: over any window of one period, at most {@code permits} requests per key are admitted (a burst of
 * {@code permits}, refilled evenly over the period). A refusal costs nothing. Several limiter instances sharing one
 * store together admit no more than the limit. Idle keys cost nothing after one period. Implementations are
 * thread-safe; a store failure is a {@link StoreUnavailableException}.
 *
 * @since 0.1
 */
public interface RateLimiter {
  /** Takes one permit for {@code key} if one is available. */
  default RateDecision tryAcquire(String key) {
    return tryAcquire(key, 1);
  }

  /**
   * Takes {@code permits} at once for {@code key} (a byte budget charges the bytes of an upload), all or none. A
   * request for more than the burst is always refused.
   *
   * @param permits 1 or more
   */
  RateDecision tryAcquire(String key, long permits);

  /** The limit this limiter enforces. */
  RateLimit limit();
}
