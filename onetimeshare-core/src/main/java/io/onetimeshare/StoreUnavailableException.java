package io.onetimeshare;

/**
 * The backing store could not be reached or failed. Nothing is reported as missing when the store is down.
 *
 * <p>Where the store knows what the failed call left behind, {@link #effect()} says so: a create that was
 * {@linkplain Effect#NOT_STORED not stored} (nothing claims it exists; send it again), an open that
 * {@linkplain Effect#NOTHING_DELIVERED delivered nothing} (the secret can still be opened once).
 *
 * @since 0.1
 */
public final class StoreUnavailableException extends OneTimeShareException {
  private static final long serialVersionUID = 1L;

  /**
   * What a failed call is known to have left behind.
   *
   * @since 0.3
   */
  public enum Effect {
    /** Not known: the store may or may not have applied the change. */
    UNKNOWN,
    /** A create or upload's finish: nothing was stored that anyone can open or will be told about. */
    NOT_STORED,
    /** An open: nothing was delivered, and the secret stays openable once by whoever comes next. */
    NOTHING_DELIVERED,
    /** A delete, revocation or answer: the store could not confirm it; send it again. */
    NOT_CONFIRMED
  }

  private final Effect effect;

  public StoreUnavailableException(String message, java.lang.@org.jspecify.annotations.Nullable Throwable cause) {
    this(message, cause, Effect.UNKNOWN);
  }

  public StoreUnavailableException(String message) {
    this(message, null, Effect.UNKNOWN);
  }

  /** @since 0.3 */
  public StoreUnavailableException(String message, java.lang.@org.jspecify.annotations.Nullable Throwable cause,
      Effect effect) {
    super(message, cause);
    this.effect = java.util.Objects.requireNonNull(effect, "effect");
  }

  /** What the failed call is known to have left behind. @since 0.3 */
  public Effect effect() {
    return effect;
  }

  /** The same failure, now known to have had {@code effect}. @since 0.3 */
  public StoreUnavailableException withEffect(Effect effect) {
    return effect == this.effect ? this : new StoreUnavailableException(
        java.util.Objects.requireNonNullElse(getMessage(), "The secret store is unavailable."), getCause(), effect);
  }
}
