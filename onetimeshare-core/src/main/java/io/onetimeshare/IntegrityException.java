package io.onetimeshare;

/**
 * A sealed envelope failed authentication or is malformed: it was corrupted or tampered with. No plaintext is ever returned for such an envelope.
 *
 * @since 0.1
 */
public sealed class IntegrityException extends OneTimeShareException permits UnsupportedEnvelopeException {
  private static final long serialVersionUID = 1L;

  public IntegrityException(String message) {
    super(message);
  }

  public IntegrityException(String message, Throwable cause) {
    super(message, cause);
  }
}
