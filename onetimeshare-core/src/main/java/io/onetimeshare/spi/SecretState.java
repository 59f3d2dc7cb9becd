package io.onetimeshare.spi;


/**
 * Where a secret is in its life, as its creator sees it through a receipt.
 *
 * @since 0.2
 */
public enum SecretState {
  /** Stored and not yet opened. */
  WAITING,
  /** Opened (delivered once); the receipt tells when. */
  OPENED,
  /** Reached its expiry unopened. */
  EXPIRED,
  /** Deleted early with its deletion token. */
  DELETED,
  /** Destroyed after its last passphrase attempt failed. */
  BURNED
}
