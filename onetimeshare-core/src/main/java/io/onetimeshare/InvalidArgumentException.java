package io.onetimeshare;

/**
 * An argument was missing, malformed or out of range. The message says which and why.
 *
 * @since 0.1
 */
public final class InvalidArgumentException extends OneTimeShareException {
  private static final long serialVersionUID = 1L;

  public InvalidArgumentException(String message) {
    super(message);
  }
}
