package io.onetimeshare.spi;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Objects;

/**
 * What a vault keeps about a secret besides its sealed body: the id, the absolute expiry, the public envelope header
 * (format version, mode, KDF parameters, salt, key commitment), the SHA-256 hash of the deletion token and the number
 * of wrong attempts still allowed. None of it is secret, and none of it reveals the plaintext.
 *
 * @param id the secret id (22 base64url characters, 128 random bits)
 * @param expiresAt when the secret stops being available (kept to the millisecond)
 * @param header the envelope header, see {@code docs/format.md}
 * @param deleteTokenHash SHA-256 of the deletion token
 * @param attemptsLeft wrong attempts still allowed before the secret is destroyed (at least 1 when stored)
 * @param subscription who is told what happens to it (issue 22); a vault stores it beside the record, and records
 *     returned by {@code peek} and {@code claim} need not carry it
 * @since 0.1
 */
public record SecretRecord(String id, Instant expiresAt, byte[] header, byte[] deleteTokenHash, int attemptsLeft,
    Subscription subscription) {

  /** A record nobody is notified about. */
  public SecretRecord(String id, Instant expiresAt, byte[] header, byte[] deleteTokenHash, int attemptsLeft) {
    this(id, expiresAt, header, deleteTokenHash, attemptsLeft, Subscription.NONE);
  }

  public SecretRecord {
    Objects.requireNonNull(subscription, "subscription");
    Objects.requireNonNull(id, "id");
    expiresAt = Objects.requireNonNull(expiresAt, "expiresAt").truncatedTo(ChronoUnit.MILLIS);
    header = Objects.requireNonNull(header, "header").clone();
    deleteTokenHash = Objects.requireNonNull(deleteTokenHash, "deleteTokenHash").clone();
    if (attemptsLeft < 0) {
      throw new IllegalArgumentException("attemptsLeft must not be negative");
    }
  }

  @Override
  public byte[] header() {
    return header.clone();
  }

  @Override
  public byte[] deleteTokenHash() {
    return deleteTokenHash.clone();
  }

  /** A copy with another number of attempts left. */
  public SecretRecord withAttemptsLeft(int attempts) {
    return new SecretRecord(id, expiresAt, header, deleteTokenHash, attempts, subscription);
  }

  /** Whether the secret has expired at {@code now} (expiry is exclusive: at {@code expiresAt} it is gone). */
  public boolean isExpiredAt(Instant now) {
    return !now.isBefore(expiresAt);
  }

  /** A copy with another subscription. */
  public SecretRecord withSubscription(Subscription s) {
    return new SecretRecord(id, expiresAt, header, deleteTokenHash, attemptsLeft, s);
  }

  /** Equal records have the same stored fields; the subscription is not compared (stores keep it apart). */
  @Override
  public boolean equals(Object o) {
    return o instanceof SecretRecord r
        && id.equals(r.id)
        && expiresAt.equals(r.expiresAt)
        && Arrays.equals(header, r.header)
        && Arrays.equals(deleteTokenHash, r.deleteTokenHash)
        && attemptsLeft == r.attemptsLeft;
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, expiresAt, Arrays.hashCode(header), attemptsLeft);
  }

  @Override
  public String toString() {
    return "SecretRecord[id=" + id + ", expiresAt=" + expiresAt + ", headerBytes=" + header.length
        + ", attemptsLeft=" + attemptsLeft + "]";
  }
}
