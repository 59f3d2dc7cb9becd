package io.onetimeshare;

/**
 * The content exceeds the configured maximum size. Detected while streaming; nothing is stored.
 *
 * @since 0.1
 */
public final class TooLargeException extends OneTimeShareException {
  private static final long serialVersionUID = 1L;

  private final long limitBytes;

  public TooLargeException(long limitBytes) {
    super("The content is larger than the limit of " + limitBytes + " bytes.");
    this.limitBytes = limitBytes;
  }

  /** The configured limit in bytes. */
  public long limitBytes() {
    return limitBytes;
  }
}
