package io.onetimeshare;

/**
 * The key or passphrase did not open the secret. The secret was not consumed; {@link #attemptsLeft()} more wrong
 * attempts are allowed before it is destroyed. When this reaches zero the secret is already gone.
 *
 * @since 0.1
 */
public final class WrongCredentialException extends OneTimeShareException {
  private static final long serialVersionUID = 1L;
  private final int attemptsLeft;

  public WrongCredentialException(int attemptsLeft) {
    this(attemptsLeft, true);
  }

  /**
   * With {@code counted} false, a wrong key or proof that cost the secret nothing (a random key or a public-key
   * secret: only passphrase attempts are counted), said so in the message (issue 36, finding 10).
   *
   * @since 0.3
   */
  public WrongCredentialException(int attemptsLeft, boolean counted) {
    super(!counted
        ? "The key is wrong. Wrong keys cost this secret nothing: it can still be opened with the right one."
        : attemptsLeft > 0
        ? "The key or passphrase is wrong; " + attemptsLeft + " attempt(s) left before the secret is destroyed."
        : "The key or passphrase is wrong; no attempts are left and the secret has been destroyed.");
    this.attemptsLeft = attemptsLeft;
  }

  /** Wrong attempts still allowed; 0 means the secret has been destroyed. */
  public int attemptsLeft() {
    return attemptsLeft;
  }
}
