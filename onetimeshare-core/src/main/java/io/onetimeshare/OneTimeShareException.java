package io.onetimeshare;

/**
 * Root of every exception OneTimeShare throws. Unchecked. Messages are written for people and never contain a
 * secret, key, passphrase, deletion token or plaintext.
 *
 * @since 0.1
 */
public class OneTimeShareException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public OneTimeShareException(String message) {
    super(message);
  }

  public OneTimeShareException(String message, Throwable cause) {
    super(message, cause);
  }
}
