package io.onetimeshare;

/**
 * An envelope uses a format version, mode or KDF parameters this library refuses to read (unknown version, or parameters above the configured ceiling).
 *
 * @since 0.1
 */
public final class UnsupportedEnvelopeException extends IntegrityException {
  private static final long serialVersionUID = 1L;

  public UnsupportedEnvelopeException(String message) {
    super(message);
  }
}
