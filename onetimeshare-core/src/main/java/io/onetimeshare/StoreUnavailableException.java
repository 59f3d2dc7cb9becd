package io.onetimeshare;

/**
 * The backing store could not be reached or failed. Nothing is reported as missing when the store is down.
 *
 * @since 0.1
 */
public final class StoreUnavailableException extends OneTimeShareException {
  private static final long serialVersionUID = 1L;

  public StoreUnavailableException(String message, java.lang.@org.jspecify.annotations.Nullable Throwable cause) {
    super(message, cause);
  }

  public StoreUnavailableException(String message) {
    super(message);
  }
}
