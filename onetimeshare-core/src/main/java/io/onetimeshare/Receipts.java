package io.onetimeshare;

import io.onetimeshare.spi.SecretRecord;
import io.onetimeshare.spi.SecretState;
import io.onetimeshare.spi.SecretTrace;
import io.onetimeshare.spi.SecretVault;
import io.onetimeshare.spi.ShareEvents;
import io.onetimeshare.internal.Bytes;
import io.onetimeshare.internal.Ids;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/** The facade's part that answers a secret's creator: deletion and the receipt's state. Package-private. */
final class Receipts {
  private final SecretVault vault;
  private final Clock clock;
  private final ShareEvents events;

  Receipts(SecretVault vault, Clock clock, ShareEvents events) {
    this.vault = vault;
    this.clock = clock;
    this.events = events;
  }

  /**
   * Deletes a secret before it is opened.
   *
   * @throws SecretNotFoundException when it is not there
   * @throws InvalidDeleteTokenException when the token does not match (nothing is deleted)
   */
  void delete(String id, String deleteToken) {
    Ids.requireValid(id);
    Objects.requireNonNull(deleteToken, "deleteToken");
    SecretRecord rec = vault.peek(id).filter(r -> !r.isExpiredAt(clock.instant()))
        .orElseThrow(SecretNotFoundException::new);
    checkToken(deleteToken, rec.deleteTokenHash());
    if (!vault.delete(id, SecretState.DELETED)) {
      throw new SecretNotFoundException();
    }
    OneTimeShare.report(events::deleted);
  }

  /** Checks a deletion token against its stored hash, in constant time. */
  static void checkToken(String deleteToken, byte[] hash) {
    Objects.requireNonNull(deleteToken, "deleteToken");
    byte[] given = deleteToken.length() == 43 ? Bytes.fromBase64Url(deleteToken, "deletion token") : new byte[0];
    if (!Bytes.constantTimeEquals(Bytes.sha256(given), hash)) {
      throw new InvalidDeleteTokenException();
    }
  }

  /**
   * What became of a secret, for its creator: waiting, opened (when), expired, deleted or burned. Answers until a
   * day after the secret's original expiry ({@link SecretTrace#RETENTION}); nobody without the deletion token learns
   * anything from it.
   *
   * @throws SecretNotFoundException no trace under this id (never existed, or forgotten)
   * @throws InvalidDeleteTokenException the token is not the secret's deletion token
   * @since 0.2
   */
  SecretStatus status(String id, String deleteToken) {
    Ids.requireValid(id);
    SecretTrace t = vault.trace(id).orElseThrow(SecretNotFoundException::new);
    checkToken(deleteToken, t.deleteTokenHash());
    Instant now = clock.instant();
    Instant at = t.at();
    boolean expired = t.state() == SecretState.WAITING ? !now.isBefore(t.expiresAt())
        : t.state() == SecretState.OPENED && at != null && !at.isBefore(t.expiresAt()); // claimed only to be dropped
    if (expired) {
      return new SecretStatus(id, SecretState.EXPIRED, t.expiresAt(), t.expiresAt());
    }
    return new SecretStatus(id, t.state(), at, t.expiresAt());
  }
}
