package io.onetimeshare;

import java.time.Duration;

/**
 * A rate limit was exceeded. Thrown by adapters that turn a rejected {@link RateDecision} into an error.
 *
 * @since 0.1
 */
public class RateLimitedException extends OneTimeShareException {
  private static final long serialVersionUID = 1L;
  private final transient RateDecision decision;

  public RateLimitedException(RateDecision decision) {
    super("Too many requests; retry in " + Math.max(1, decision.retryAfter().toSeconds()) + " s.");
    this.decision = decision;
  }

  public RateDecision decision() {
    return decision;
  }

  public Duration retryAfter() {
    return decision.retryAfter();
  }
}
