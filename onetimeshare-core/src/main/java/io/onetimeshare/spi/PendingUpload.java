package io.onetimeshare.spi;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Objects;

/**
 * A secret being uploaded in sealed segments by a client that sealed it itself (see {@code docs/format.md},
 * "Client-sealed secrets"). Invisible to peek and claim until finished; forgotten, with every segment stored so far,
 * when it has been idle for {@link #IDLE} or reaches {@code expiresAt}.
 *
 * @param id the secret id
 * @param expiresAt when the finished secret will expire
 * @param deleteTokenHash SHA-256 of the deletion token, which also authorises the upload's requests
 * @param attemptsLeft wrong passphrase attempts the finished secret allows
 * @param segmentSize plaintext bytes per segment in the client's envelope: every sealed segment is {@code
 *     segmentSize + 16} bytes but the last, which is 17 to {@code segmentSize + 16}
 * @param subscription who is told what happens to the finished secret (issue 22)
 * @since 0.2
 */
public record PendingUpload(String id, Instant expiresAt, byte[] deleteTokenHash, int attemptsLeft,
    int segmentSize, Subscription subscription) {

  /** An upload nobody is notified about. */
  public PendingUpload(String id, Instant expiresAt, byte[] deleteTokenHash, int attemptsLeft, int segmentSize) {
    this(id, expiresAt, deleteTokenHash, attemptsLeft, segmentSize, Subscription.NONE);
  }
  /** How long an upload may go without a new segment before it is dropped. */
  public static final Duration IDLE = Duration.ofHours(1);

  public PendingUpload {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(subscription, "subscription");
    expiresAt = Objects.requireNonNull(expiresAt, "expiresAt").truncatedTo(ChronoUnit.MILLIS);
    deleteTokenHash = Objects.requireNonNull(deleteTokenHash, "deleteTokenHash").clone();
    if (attemptsLeft < 1 || segmentSize < 16 || segmentSize > 8 * 1024 * 1024) {
      throw new IllegalArgumentException("bad attempts or segment size");
    }
  }

  /** Bytes of a full sealed segment. */
  public int sealedSegmentBytes() {
    return segmentSize + 16;
  }

  /** The record the finished secret gets. */
  public SecretRecord record(byte[] header) {
    return new SecretRecord(id, expiresAt, header, deleteTokenHash, attemptsLeft, subscription);
  }

  @Override
  public byte[] deleteTokenHash() {
    return deleteTokenHash.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PendingUpload p && id.equals(p.id) && expiresAt.equals(p.expiresAt)
        && Arrays.equals(deleteTokenHash, p.deleteTokenHash) && attemptsLeft == p.attemptsLeft
        && segmentSize == p.segmentSize;
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, expiresAt, attemptsLeft, segmentSize);
  }

  @Override
  public String toString() {
    return "PendingUpload[id=" + id + ", expiresAt=" + expiresAt + ", segmentSize=" + segmentSize + "]";
  }
}
