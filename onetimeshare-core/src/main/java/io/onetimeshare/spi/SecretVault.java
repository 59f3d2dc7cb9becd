package io.onetimeshare.spi;

import io.onetimeshare.CapacityException;
import io.onetimeshare.SecretNotFoundException;
import io.onetimeshare.StoreUnavailableException;
import io.onetimeshare.UploadConflictException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Stores sealed secrets and hands each out at most once.
 *
 * <p>The contract every implementation keeps (checked by the {@code SecretVaultContract} suite in core's test-jar):
 *
 * <ul>
 *   <li>Bodies are opaque ciphertext; a vault never sees plaintext or keys.
 *   <li>{@link #claim} is atomic: of any number of concurrent claims of one id, across threads, processes or
 *       instances sharing the store, exactly one gets the secret; every other gets empty.
 *   <li>An expired secret is never returned by {@link #peek} or {@link #claim}, even before its storage is
 *       reclaimed, and its storage is reclaimed eventually without anyone asking for it.
 *   <li>{@link #reserveAttempt} is atomic: of any number of concurrent callers, no more take an attempt than the
 *       secret has left, so no more passphrases are ever tried than the limit allows.
 *   <li>Unknown, expired, claimed, deleted and destroyed ids look the same: empty, never an exception.
 *   <li>A failure of the store itself is a {@link StoreUnavailableException}, never an empty answer.
 *   <li>Every stored secret leaves a {@link SecretTrace} for its creator's receipt, written with the secret and
 *       updated atomically with the claim, delete or burn that ends it, kept until {@link SecretTrace#RETENTION}
 *       after the original expiry. A trace holds no ciphertext and no key material.
 *   <li>An upload ({@link #beginUpload}) is invisible to peek and claim until {@link #finishUpload}; its segments are
 *       appended strictly in order, a repeated segment is ignored, and an upload idle for {@link
 *       PendingUpload#IDLE} is dropped with everything stored for it.
 * </ul>
 *
 * <p>Implementations are thread-safe.
 *
 * @since 0.1
 */
public interface SecretVault extends Closeable {

  /**
   * Stores a secret. The body is produced by {@code body}, which writes the sealed segments to the stream it is given.
   * If the writer throws, nothing is stored (no partial secret is ever visible) and the exception propagates.
   *
   * @throws IOException only when {@code body} throws it (its source failed, e.g. a client disconnected)
   * @throws CapacityException when the store has no room; nothing unexpired is evicted to make room
   * @throws StoreUnavailableException when the store fails
   */
  void put(SecretRecord record, BodyWriter body) throws IOException;

  /**
   * As {@link #put(SecretRecord, BodyWriter)}, charging {@code charges} first: a refusal (thrown by a charge's
   * callback) stores nothing. The default applies them, then puts; a vault that can charge them in the same atomic
   * step overrides it (issue 25: Redis folds them into its put script, one round trip). A body too large to hold in
   * memory is charged before its first byte is stored, whatever the vault.
   *
   * @since 0.3
   */
  default void put(SecretRecord record, BodyWriter body, Charge.Batch charges) throws IOException {
    charges.applyNow();
    put(record, body);
  }

  /** The record of a stored, unexpired secret, without consuming it. */
  Optional<SecretRecord> peek(String id);

  /**
   * As {@link #peek(String)}, charging {@code charges} too, even when there is no such secret; a refusal (thrown by a
   * charge) answers nothing. The default applies them, then peeks; the Redis vault sends both together and waits
   * once (issue 25: one round trip).
   *
   * @since 0.3
   */
  default Optional<SecretRecord> peek(String id, Charge.Batch charges) {
    charges.applyNow();
    return peek(id);
  }

  /**
   * Atomically removes the secret and returns it. The caller must close the result. Once this returns non-empty no
   * other caller can ever get the secret, whatever happens to the returned stream.
   */
  Optional<ClaimedSecret> claim(String id);

  /**
   * Claims the secret only if {@code accept} approves its record (the facade checks the key commitment in the header
   * with it). A rejected secret stays exactly as it was, claimable by the next caller. Of concurrent callers whose
   * predicate accepts, exactly one gets the secret, as with {@link #claim}.
   *
   * <p>The default peeks, tests and then claims. A vault whose claims can be undone (Redis: claim, test, and give a
   * rejected secret back) overrides it so that an open costs one round trip instead of two. {@code accept} must be
   * quick and must not call the vault.
   */
  /**
   * As {@link #claimIf(String, java.util.function.Predicate)}, charging {@code charges} first, even when there is no
   * such secret (guessing ids costs the budget); a refusal claims nothing. The default applies them, then claims; the
   * Redis vault charges them in its claim script.
   *
   * @since 0.3
   */
  default ClaimOutcome claimIf(String id, java.util.function.Predicate<SecretRecord> accept, Charge.Batch charges) {
    charges.applyNow();
    return claimIf(id, accept);
  }

  default ClaimOutcome claimIf(String id, java.util.function.Predicate<SecretRecord> accept) {
    Optional<SecretRecord> rec = peek(id);
    if (rec.isEmpty()) {
      return ClaimOutcome.ABSENT;
    }
    if (!accept.test(rec.get())) {
      return ClaimOutcome.REJECTED;
    }
    return claim(id).map(ClaimOutcome::claimed).orElse(ClaimOutcome.ABSENT);
  }

  /**
   * What {@link #claimIf} found: the claimed secret, or no secret, or a secret whose record the predicate rejected.
   *
   * @param claimed the claimed secret (the caller must close it), or null
   * @param rejected whether a secret was there and the predicate rejected it
   */
  record ClaimOutcome(@org.jspecify.annotations.Nullable ClaimedSecret claimed, boolean rejected) {
    /** No secret under this id (never stored, expired, claimed, deleted or destroyed). */
    public static final ClaimOutcome ABSENT = new ClaimOutcome(null, false);
    /** A secret is there, and the predicate rejected it; it was left as it was. */
    public static final ClaimOutcome REJECTED = new ClaimOutcome(null, true);

    public ClaimOutcome {
      if (claimed != null && rejected) {
        throw new IllegalArgumentException("a claimed secret was not rejected");
      }
    }

    public static ClaimOutcome claimed(ClaimedSecret secret) {
      return new ClaimOutcome(java.util.Objects.requireNonNull(secret, "secret"), false);
    }
  }

  /**
   * Atomically takes one passphrase attempt, before the passphrase is tried. Returns the attempts left after taking
   * it; empty when the secret is not there or has no attempt left (then nothing is taken). A secret at zero is not
   * destroyed here: a passphrase still being tried may be the right one, so the caller whose try failed deletes it.
   */
  OptionalInt reserveAttempt(String id);

  /**
   * Gives back an attempt taken by {@link #reserveAttempt} whose try never ran (the KDF was overloaded, the store
   * failed). Does nothing when the secret is not there.
   */
  void refundAttempt(String id);

  /** Removes the secret, its trace recording {@link SecretState#DELETED}; true if it was there. */
  default boolean delete(String id) {
    return delete(id, SecretState.DELETED);
  }

  /**
   * Removes the secret; true if it was there. Its trace records {@code reason} ({@link SecretState#DELETED} or {@link
   * SecretState#BURNED}) and the time, only when this call removed it.
   */
  boolean delete(String id, SecretState reason);

  /** The trace of a secret stored in the last {@link SecretTrace#RETENTION} past its expiry; empty otherwise. */
  Optional<SecretTrace> trace(String id);

  /**
   * Starts an upload of a client-sealed secret: nothing is visible until {@link #finishUpload}.
   *
   * @throws CapacityException when the store has no room
   */
  void beginUpload(PendingUpload upload);

  /** How far an unfinished upload has come; empty when there is none under this id (finished, dropped, unknown). */
  Optional<UploadProgress> uploadProgress(String id);

  /**
   * Appends sealed segment {@code index}. A segment already stored ({@code index} below the count) is ignored, so a
   * client may resend what it is unsure of. Returns the number of segments stored afterwards.
   *
   * @throws UploadConflictException {@code index} is past the next expected one, a segment follows the last one, or
   *     the segment's size is not that of a full or a last segment
   * @throws SecretNotFoundException there is no such upload
   * @throws CapacityException when the store has no room (the upload is kept as it was)
   */
  long appendSegment(String id, long index, byte[] segment);

  /**
   * Makes the segments appended to upload {@code id} so far durable. The facade calls it once at the end of every
   * append request, before the client is told how many segments are stored, so a vault may leave each segment in the
   * page cache in {@link #appendSegment} and sync them together here (issue 25: the file vault synced every 256 KiB
   * segment, 4,096 syncs per GiB). The default does nothing: {@link #appendSegment} is durable by itself.
   *
   * @since 0.3
   */
  default void syncUpload(String id) {}

  /**
   * Makes the upload an ordinary secret with the client's envelope {@code header}, atomically: from then on it is
   * peeked, claimed, deleted and traced like any other.
   *
   * @throws UploadConflictException when no segment was stored
   * @throws SecretNotFoundException there is no such upload
   */
  void finishUpload(String id, byte[] header);

  /** Drops an unfinished upload and what it stored; true if there was one. */
  boolean abortUpload(String id);

  /**
   * The vault's secret requests (issue 23), or empty when it stores none: then asking for a request is refused by the
   * facade with a clear message. A capability of its own rather than methods that throw.
   *
   * @since 0.3
   */
  default Optional<RequestStore> requests() {
    return Optional.empty();
  }

  /**
   * The ledger that lets an upload's segments move to a body store in parts while it goes on (issue 37), or empty
   * when this vault keeps every segment until the upload is opened (then a {@link io.onetimeshare.split.SplitVault}
   * leaves uploads in it). The Redis vault has it.
   *
   * @since 0.3
   */
  default Optional<UploadParts> uploadParts() {
    return Optional.empty();
  }

  /**
   * The events this vault records for its secrets' subscriptions (issue 22), or empty when it records none: then a
   * secret with a non-empty {@link SecretRecord#subscription()} is refused by the facade before anything is stored.
   *
   * @since 0.3
   */
  default java.util.Optional<EventOutbox> outbox() {
    return java.util.Optional.empty();
  }

  /** Releases resources (connections, threads). Stored secrets stay stored where the vault is persistent. */
  @Override
  default void close() {}

  /** Writes a sealed body. */
  @FunctionalInterface
  interface BodyWriter {
    void writeTo(OutputStream out) throws IOException;
  }

  /** A claimed secret: its record and its sealed body. Close it to release the body's storage. */
  interface ClaimedSecret extends Closeable {
    SecretRecord record();

    InputStream body();

    /**
     * The sealed body's length in bytes, or -1 when the store cannot tell without reading it. Known, it lets the
     * HTTP layer announce the plaintext's exact length ({@code Content-Length}), so a receiver can tell a cut
     * download from a whole one whatever the framing.
     */
    default long bodyLength() {
      return -1;
    }

    /** A claimed secret whose {@link #close()} closes {@code body}; its length unknown. */
    static ClaimedSecret of(SecretRecord record, InputStream body) {
      return of(record, body, -1);
    }

    /** A claimed secret of {@code bodyLength} bytes (-1: unknown) whose {@link #close()} closes {@code body}. */
    static ClaimedSecret of(SecretRecord record, InputStream body, long bodyLength) {
      return new ClaimedSecret() {
        @Override
        public long bodyLength() {
          return bodyLength;
        }

        @Override
        public SecretRecord record() {
          return record;
        }

        @Override
        public InputStream body() {
          return body;
        }

        @Override
        public void close() throws IOException {
          body.close();
        }
      };
    }
  }
}
