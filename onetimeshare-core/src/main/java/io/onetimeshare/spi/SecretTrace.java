package io.onetimeshare.spi;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a vault remembers of a secret for its creator's receipt: never ciphertext or key material, only the expiry,
 * the hash of the deletion token (which authenticates the creator) and how the secret ended. A vault writes it when
 * the secret is stored, updates it atomically with the claim, delete or burn that ends the secret, and forgets it
 * {@link #RETENTION} after the secret's original expiry.
 *
 * @param id the secret id
 * @param expiresAt the secret's original expiry
 * @param deleteTokenHash SHA-256 of the deletion token
 * @param state {@link SecretState#WAITING}, {@link SecretState#OPENED}, {@link SecretState#DELETED} or {@link
 *     SecretState#BURNED} as stored; a waiting trace past {@code expiresAt} is reported as expired
 * @param at when the secret ended (opened, deleted, burned), or null while waiting
 * @since 0.2
 */
public record SecretTrace(String id, Instant expiresAt, byte[] deleteTokenHash, SecretState state,
    @Nullable Instant at) {
  /**
   * How long a trace outlives the secret's original expiry, so that "expired" can be told. Short on purpose: every
   * secret's trace is held for its whole TTL plus this, which is what the store pays for receipts.
   */
  public static final Duration RETENTION = Duration.ofHours(1);

  public SecretTrace {
    Objects.requireNonNull(id, "id");
    expiresAt = Objects.requireNonNull(expiresAt, "expiresAt").truncatedTo(ChronoUnit.MILLIS);
    deleteTokenHash = Objects.requireNonNull(deleteTokenHash, "deleteTokenHash").clone();
    Objects.requireNonNull(state, "state");
    if (state == SecretState.EXPIRED) {
      throw new IllegalArgumentException("expiry is derived from the clock, not stored");
    }
    if ((state == SecretState.WAITING) != (at == null)) {
      throw new IllegalArgumentException("an ended secret has a time, a waiting one none");
    }
    at = at == null ? null : at.truncatedTo(ChronoUnit.MILLIS);
  }

  /** A waiting trace for a just-stored secret. */
  public static SecretTrace waiting(SecretRecord r) {
    return new SecretTrace(r.id(), r.expiresAt(), r.deleteTokenHash(), SecretState.WAITING, null);
  }

  /** This trace with the secret ended in {@code how} at {@code when}. */
  public SecretTrace ended(SecretState how, Instant when) {
    return new SecretTrace(id, expiresAt, deleteTokenHash, how, when);
  }

  /** When a vault may forget this trace. */
  public Instant forgetAt() {
    return expiresAt.plus(RETENTION);
  }

  @Override
  public byte[] deleteTokenHash() {
    return deleteTokenHash.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SecretTrace t && id.equals(t.id) && expiresAt.equals(t.expiresAt)
        && Arrays.equals(deleteTokenHash, t.deleteTokenHash) && state == t.state && Objects.equals(at, t.at);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, expiresAt, state, at);
  }

  @Override
  public String toString() {
    return "SecretTrace[id=" + id + ", expiresAt=" + expiresAt + ", state=" + state + ", at=" + at + "]";
  }
}
