package io.onetimeshare;

/**
 * The deletion token does not match the secret. The secret is left untouched.
 *
 * @since 0.1
 */
public final class InvalidDeleteTokenException extends OneTimeShareException {
  private static final long serialVersionUID = 1L;

  public InvalidDeleteTokenException() {
    super("The deletion token does not match this secret.");
  }
}
