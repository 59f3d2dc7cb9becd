package io.onetimeshare.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * The outcome of {@link RateLimiter#tryAcquire}: whether the request may go ahead, how many more would be allowed right
 * now, how long to wait before retrying when refused, and when the bucket is full again.
 *
 * @param allowed whether this request was admitted
 * @param limit the burst size (requests per period)
 * @param remaining requests that would be admitted right now after this one
 * @param retryAfter zero when allowed; otherwise the wait before one more request is admitted
 * @param resetAfter the time until the limiter is back at its full burst
 * @since 0.1
 */
public record RateDecision(boolean allowed, long limit, long remaining, Duration retryAfter, Duration resetAfter) {
  public RateDecision {
    Objects.requireNonNull(retryAfter, "retryAfter");
    Objects.requireNonNull(resetAfter, "resetAfter");
    if (limit < 0 || remaining < 0) {
      throw new IllegalArgumentException("limit and remaining must not be negative");
    }
  }
}
