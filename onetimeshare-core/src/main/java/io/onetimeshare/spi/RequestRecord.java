package io.onetimeshare.spi;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A secret request (issue 23): someone asks for a secret and publishes an X25519 public key; exactly one answer,
 * sealed to that key (envelope mode 3), is stored as an ordinary secret under the request's id. The vault keeps the
 * public key, the SHA-256 of the asker's token and whether (and when) an answer began; never a label or any key that
 * opens the answer.
 *
 * @param id the request's id, which its answer's secret takes
 * @param expiresAt when the request (and an unopened answer) expires
 * @param publicKey the asker's X25519 public key, 32 bytes
 * @param ownerTokenHash SHA-256 of the asker's token (their receipt and deletion)
 * @param answeredAt when the one answer began, or null while the request waits
 * @param subscription who is told of the request's end ({@link NotifyTarget#ASKER}): the vault records its expiry,
 *     as it does a subscribed secret's, until the answer's upload is finished with this same subscription (then the
 *     answer's creation and expiry are recorded as any subscribed secret's)
 * @param answerTokenHash SHA-256 of the answer token the fill link's fragment carries (issue 36, finding 1): only
 *     its holder may answer; null for a request stored before answer tokens (pre-0.3.0 builds), which can no longer be answered
 * @since 0.3
 */
public record RequestRecord(String id, Instant expiresAt, byte[] publicKey, byte[] ownerTokenHash,
    @Nullable Instant answeredAt, Subscription subscription, byte @Nullable [] answerTokenHash) {
  public RequestRecord(String id, Instant expiresAt, byte[] publicKey, byte[] ownerTokenHash,
      @Nullable Instant answeredAt) {
    this(id, expiresAt, publicKey, ownerTokenHash, answeredAt, Subscription.NONE, null);
  }

  public RequestRecord(String id, Instant expiresAt, byte[] publicKey, byte[] ownerTokenHash,
      @Nullable Instant answeredAt, Subscription subscription) {
    this(id, expiresAt, publicKey, ownerTokenHash, answeredAt, subscription, null);
  }

  public RequestRecord {
    Objects.requireNonNull(subscription, "subscription");
    Objects.requireNonNull(id, "id");
    expiresAt = Objects.requireNonNull(expiresAt, "expiresAt").truncatedTo(ChronoUnit.MILLIS);
    publicKey = Objects.requireNonNull(publicKey, "publicKey").clone();
    ownerTokenHash = Objects.requireNonNull(ownerTokenHash, "ownerTokenHash").clone();
    if (publicKey.length != 32 || ownerTokenHash.length != 32) {
      throw new IllegalArgumentException("a public key and a token hash are 32 bytes each");
    }
    answeredAt = answeredAt == null ? null : answeredAt.truncatedTo(ChronoUnit.MILLIS);
    if (answerTokenHash != null) {
      if (answerTokenHash.length != 32) {
        throw new IllegalArgumentException("an answer token hash is 32 bytes");
      }
      answerTokenHash = answerTokenHash.clone();
    }
  }

  @Override
  public byte @Nullable [] answerTokenHash() {
    return answerTokenHash == null ? null : answerTokenHash.clone();
  }

  /** This request with {@code hash} as its answer token's hash. */
  public RequestRecord withAnswerTokenHash(byte[] hash) {
    return new RequestRecord(id, expiresAt, publicKey, ownerTokenHash, answeredAt, subscription, hash);
  }

  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  @Override
  public byte[] ownerTokenHash() {
    return ownerTokenHash.clone();
  }

  public boolean isExpiredAt(Instant now) {
    return !now.isBefore(expiresAt);
  }

  /** This request with {@code s} as its subscription. */
  public RequestRecord withSubscription(Subscription s) {
    return new RequestRecord(id, expiresAt, publicKey, ownerTokenHash, answeredAt, s, answerTokenHash);
  }

  /** This request with its answer begun at {@code when}. */
  public RequestRecord answered(Instant when) {
    return new RequestRecord(id, expiresAt, publicKey, ownerTokenHash, when, subscription, answerTokenHash);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RequestRecord r && id.equals(r.id) && expiresAt.equals(r.expiresAt)
        && Arrays.equals(publicKey, r.publicKey) && Arrays.equals(ownerTokenHash, r.ownerTokenHash)
        && Objects.equals(answeredAt, r.answeredAt) && Arrays.equals(answerTokenHash, r.answerTokenHash);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, expiresAt, Arrays.hashCode(publicKey), answeredAt);
  }

  @Override
  public String toString() {
    return "RequestRecord[id=" + id + ", expiresAt=" + expiresAt + ", answeredAt=" + answeredAt + "]";
  }
}
