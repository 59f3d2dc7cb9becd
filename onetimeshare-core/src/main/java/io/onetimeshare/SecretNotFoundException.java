package io.onetimeshare;

/**
 * No secret is available under this id: it never existed, expired, was already opened, was deleted or was destroyed after too many wrong attempts. The causes are deliberately indistinguishable.
 *
 * @since 0.1
 */
public final class SecretNotFoundException extends OneTimeShareException {
  private static final long serialVersionUID = 1L;

  public SecretNotFoundException() {
    super("No secret with this id is available: it may never have existed, may have expired, or was already opened or deleted.");
  }
}
