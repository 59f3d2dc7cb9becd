package io.onetimeshare;

/**
 * The store has no room for this secret (its byte budget is full). Unexpired secrets are never evicted to make room.
 *
 * @since 0.1
 */
public final class CapacityException extends OneTimeShareException {
  private static final long serialVersionUID = 1L;

  public CapacityException(String message) {
    super(message);
  }
}
