package io.onetimeshare;

/**
 * Too many passphrase derivations are running or waiting; the request was refused instead of queueing without bound. Retry later.
 *
 * @since 0.1
 */
public final class OverloadedException extends OneTimeShareException {
  private static final long serialVersionUID = 1L;

  public OverloadedException(String message) {
    super(message);
  }
}
