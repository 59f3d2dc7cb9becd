package io.onetimeshare;

/**
 * Root of every exception OneTimeShare throws. Unchecked. Messages are written for people and never contain a
 * secret, key, passphrase, deletion token or plaintext.
 *
 * @since 0.1
 */
public abstract sealed class OneTimeShareException extends RuntimeException permits CapacityException,
    IntegrityException, InvalidAnswerTokenException, InvalidArgumentException, InvalidDeleteTokenException, OverloadedException,
    SecretNotFoundException, StoreUnavailableException, TooLargeException, UploadConflictException,
    WrongCredentialException {
  private static final long serialVersionUID = 1L;

  OneTimeShareException(String message) {
    super(message);
  }

  OneTimeShareException(String message, java.lang.@org.jspecify.annotations.Nullable Throwable cause) {
    super(message, cause);
  }
}
