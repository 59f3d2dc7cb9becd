package io.onetimeshare.spi;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A rate budget to charge together with the store operation it guards (issue 25, "one round trip"): a vault that can
 * (Redis, single node) charges it in the same atomic script as the put or claim, so a refused request stores and
 * claims nothing and an admitted one costs one round trip instead of two; any other vault charges it just before.
 * Either way each charge is applied once, {@code onDecision} sees its decision (to set {@code RateLimit-*} headers)
 * and refuses by throwing, which the operation lets through without having stored or claimed anything.
 *
 * @param limiter the budget
 * @param key whose budget (a client's address, a token's name)
 * @param permits how much (1 request, or bytes)
 * @param onDecision called once with the decision; throws to refuse
 * @since 0.3
 */
public record Charge(RateLimiter limiter, String key, long permits, Consumer<RateDecision> onDecision) {
  public Charge {
    Objects.requireNonNull(limiter, "limiter");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(onDecision, "onDecision");
    if (permits < 1) {
      throw new IllegalArgumentException("a charge is at least 1 permit");
    }
  }

  /** Charges that remember which of them were applied, so that none is charged twice or forgotten. */
  public static final class Batch {
    private final List<Charge> charges;
    private final AtomicBoolean applied = new AtomicBoolean();

    private Batch(List<Charge> charges) {
      this.charges = List.copyOf(charges);
    }

    public static Batch of(List<Charge> charges) {
      return new Batch(charges);
    }

    public static Batch none() {
      return new Batch(List.of());
    }

    public List<Charge> charges() {
      return charges;
    }

    public boolean isEmpty() {
      return charges.isEmpty();
    }

    /**
     * Claims the right to apply these charges: true once, for whoever applies them (a vault folding them into its
     * script, or {@link #applyNow()}); false afterwards.
     */
    public boolean take() {
      return applied.compareAndSet(false, true);
    }

    /** Applies the charges one by one, if nobody has: each decision goes to its charge, a refusal throws. */
    public void applyNow() {
      if (!take()) {
        return;
      }
      for (Charge c : charges) {
        c.onDecision().accept(c.limiter().tryAcquire(c.key(), c.permits()));
      }
    }
  }
}
