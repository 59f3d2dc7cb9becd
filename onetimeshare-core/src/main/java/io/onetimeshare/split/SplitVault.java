package io.onetimeshare.split;

import io.onetimeshare.StoreUnavailableException;
import io.onetimeshare.spi.BodyStore;
import io.onetimeshare.spi.Charge;
import io.onetimeshare.spi.EventOutbox;
import io.onetimeshare.spi.PendingUpload;
import io.onetimeshare.spi.SecretRecord;
import io.onetimeshare.spi.SecretState;
import io.onetimeshare.spi.SecretTrace;
import io.onetimeshare.spi.SecretVault;
import io.onetimeshare.spi.UploadProgress;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Records in one vault, bodies in a {@link BodyStore} (issue 37): a secret's record, its claim, attempts, trace,
 * requests and events stay in {@code records} (Redis, with its replica acknowledgement, for a fleet), which decides
 * exactly once; its sealed body goes to the body store (S3) under a key derived from the record, never its id.
 *
 * <ul>
 *   <li><b>Put:</b> the body is written to the body store first, then the record with an empty body; a record that
 *       cannot be stored has its body deleted again (and the sweeper removes what a crash leaves).
 *   <li><b>Open:</b> the record is claimed in {@code records} before the first byte is read from the body store; the
 *       body is fetched while the claim is tested, so a body store that cannot answer gives the claim back (503,
 *       nothing delivered, the secret still opens once); the body is deleted once it was read, or the open ended.
 *   <li><b>Delete:</b> the record, then its body.
 *   <li><b>Expiry:</b> a body's key starts with the minute its secret's deadline passes (expiry plus a grace); a
 *       sweeper lists keys of minutes gone by and deletes them, so no body outlives its secret by more than the grace
 *       and one sweep interval, whatever the store's lifecycle rules. Deletes that failed are retried by the sweeper.
 *   <li><b>Uploads</b> (client-sealed, resumable): when the records' vault keeps a ledger of parts ({@link
 *       SecretVault#uploadParts()}, Redis does), every part's worth of segments moves to the body store as a part of
 *       a write in parts (an S3 multipart upload) while the upload goes on, so the records hold at most a part or two
 *       of it and any instance continues it; finishing completes the write, then the record. Without a ledger the
 *       segments stay in {@code records} until the secret is opened.
 * </ul>
 *
 * @since 0.3
 */
public final class SplitVault implements SecretVault {

  private final SecretVault records;
  private final BodyStore bodies;
  private final Clock clock;
  private final BodyKeys keys;
  private final Sweeper sweeper;
  private final @Nullable PartedUploads parted;

  private SplitVault(Builder b) {
    this.records = b.records;
    this.bodies = b.bodies;
    this.clock = b.clock;
    this.keys = new BodyKeys(b.grace);
    this.sweeper = new Sweeper(bodies, BodyKeys.PREFIX);
    this.parted = records.uploadParts().map(ledger -> new PartedUploads(records, ledger, bodies, keys::of,
        b.partSize != 0 ? b.partSize : bodies.partSize(), b.largestBody, b.movesAtOnce, clock)).orElse(null);
    sweeper.every(b.sweepInterval, this::sweep);
  }

  public static Builder builder(SecretVault records, BodyStore bodies) {
    return new Builder(records, bodies);
  }

  /**
   * The largest sealed body a secret of {@code contentBytes} makes, with room to spare: the plaintext, a 16-byte tag
   * per segment of at least 4 KiB (a client's smallest), the file name's prefix. For {@link Builder#largestBody}.
   */
  public static long sealedBound(long contentBytes) {
    return contentBytes + contentBytes / 256 + (1 << 20);
  }

  /** The body's key ({@link BodyKeys}). */
  String key(SecretRecord r) {
    return keys.of(r);
  }

  // ---- put ----

  @Override
  public void put(SecretRecord record, BodyWriter body) throws IOException {
    put(record, body, Charge.Batch.none());
  }

  @Override
  public void put(SecretRecord record, BodyWriter body, Charge.Batch charges) throws IOException {
    // the client's budgets first: a client over them must not make this server stream a body to the bucket (the
    // records' vault would refuse it only after; one more round trip to Redis, against a whole body's upload)
    charges.applyNow();
    String key = key(record);
    try {
      PipedWrite.write(bodies, key, body);
    } catch (PipedWrite.StoreFailed e) {
      deleteLater(key);
      throw unavailable("The object store could not store the secret's body; it was not stored.", e.getCause(),
          StoreUnavailableException.Effect.NOT_STORED);
    } catch (IOException | RuntimeException e) {
      deleteLater(key); // the writer's own failure (a client that went away, a size cap): reported as it is
      throw e;
    }
    try {
      records.put(record, out -> { }, charges);
    } catch (IOException | RuntimeException e) {
      deleteLater(key); // no record names it: it must not stay
      throw e;
    }
  }

  static StoreUnavailableException unavailable(String message, @Nullable Throwable cause,
      StoreUnavailableException.Effect effect) {
    if (cause instanceof StoreUnavailableException s) {
      return s.effect() == StoreUnavailableException.Effect.UNKNOWN ? s.withEffect(effect) : s;
    }
    return new StoreUnavailableException(message, cause).withEffect(effect);
  }

  // ---- peek and claim ----

  @Override
  public Optional<SecretRecord> peek(String id) {
    return records.peek(id);
  }

  @Override
  public Optional<SecretRecord> peek(String id, Charge.Batch charges) {
    return records.peek(id, charges);
  }

  @Override
  public Optional<ClaimedSecret> claim(String id) {
    return Optional.ofNullable(claimIf(id, r -> true).claimed());
  }

  @Override
  public ClaimOutcome claimIf(String id, Predicate<SecretRecord> accept) {
    return claimIf(id, accept, Charge.Batch.none());
  }

  /** What the claim's test fetched from the body store. */
  private static final class Fetched {
    BodyStore.@Nullable Body body;
    @Nullable Exception failure;
    @Nullable String key;
  }

  @Override
  public ClaimOutcome claimIf(String id, Predicate<SecretRecord> accept, Charge.Batch charges) {
    Fetched f = new Fetched();
    ClaimOutcome o = records.claimIf(id, r -> accept.test(r) && fetch(r, f), charges);
    if (o.claimed() == null) {
      closeQuietly(f.body);
      if (o.rejected() && f.failure != null) {
        throw unavailable("The object store could not be read; nothing was delivered and the secret can still be "
            + "opened once.", f.failure, StoreUnavailableException.Effect.NOTHING_DELIVERED);
      }
      return o;
    }
    ClaimedSecret claimed = o.claimed();
    if (f.body == null) {
      return o; // a body the records hold themselves (an upload's, or one stored before the split)
    }
    try {
      claimed.close(); // the records' empty body
    } catch (IOException ignored) {
      // nothing to release
    }
    String key = Objects.requireNonNull(f.key);
    return ClaimOutcome.claimed(new FromStore(claimed.record(), f.body, () -> deleteNowOrLater(key)));
  }

  /** In the claim's test: opens the body while the claim is held; false gives the claim back when the store fails. */
  private boolean fetch(SecretRecord r, Fetched f) {
    String key = key(r);
    try {
      f.body = bodies.read(key).orElse(null);
      f.key = key;
      return true;
    } catch (IOException | RuntimeException e) {
      f.failure = e;
      return false;
    }
  }

  private static void closeQuietly(BodyStore.@Nullable Body b) {
    if (b != null) {
      try {
        b.stream().close();
      } catch (IOException ignored) {
        // a read we do not need
      }
    }
  }

  // ---- delete, expiry ----

  @Override
  public boolean delete(String id, SecretState reason) {
    Optional<SecretRecord> r = records.peek(id);
    boolean deleted = records.delete(id, reason);
    if (deleted && r.isPresent()) {
      deleteNowOrLater(key(r.get()));
    }
    return deleted;
  }

  private void deleteNowOrLater(String key) {
    sweeper.deleteNowOrLater(key);
  }

  private void deleteLater(String key) {
    sweeper.deleteLater(key);
  }

  /**
   * One sweep now (the sweeper runs one every interval by itself): deletes bodies whose deadline passed and those
   * whose delete failed before, and aborts writes in parts whose body's deadline passed (an upload dropped for
   * idleness) or that began more than a day ago.
   *
   * @return how many bodies it deleted
   */
  public int sweep() throws IOException {
    return sweeper.sweep(BodyKeys.bound(clock.instant()), clock.instant().minus(Duration.ofDays(1)));
  }

  // ---- the rest is the records' ----

  @Override
  public OptionalInt reserveAttempt(String id) {
    return records.reserveAttempt(id);
  }

  @Override
  public void refundAttempt(String id) {
    records.refundAttempt(id);
  }

  @Override
  public Optional<SecretTrace> trace(String id) {
    return records.trace(id);
  }

  @Override
  public void beginUpload(PendingUpload upload) {
    records.beginUpload(upload);
  }

  @Override
  public Optional<UploadProgress> uploadProgress(String id) {
    return parted == null ? records.uploadProgress(id) : parted.progress(id);
  }

  @Override
  public long appendSegment(String id, long index, byte[] segment) {
    return parted == null ? records.appendSegment(id, index, segment) : parted.append(id, index, segment);
  }

  @Override
  public void syncUpload(String id) {
    if (parted == null) {
      records.syncUpload(id);
    } else {
      parted.sync(id);
    }
  }

  @Override
  public void finishUpload(String id, byte[] header) {
    if (parted == null) {
      records.finishUpload(id, header);
    } else {
      parted.finish(id, header);
    }
  }

  @Override
  public boolean abortUpload(String id) {
    return parted == null ? records.abortUpload(id) : parted.abort(id);
  }

  /** Requests are records: they live where the records do (the body store holds only sealed bodies). */
  @Override
  public Optional<io.onetimeshare.spi.RequestStore> requests() {
    return records.requests();
  }

  @Override
  public Optional<EventOutbox> outbox() {
    return records.outbox();
  }

  @Override
  public void close() {
    sweeper.close();
    if (parted != null) {
      parted.close();
    }
    try {
      records.close();
    } finally {
      try {
        bodies.close();
      } catch (IOException ignored) {
        // closing
      }
    }
  }

  /** Builds a {@link SplitVault}. */
  public static final class Builder {
    private final SecretVault records;
    private final BodyStore bodies;
    private Clock clock = Clock.systemUTC();
    private Duration grace = Duration.ofMinutes(2);
    private Duration sweepInterval = Duration.ofMinutes(1);
    private int partSize;
    private long largestBody = 1L << 30;
    private int movesAtOnce = 4;

    private Builder(SecretVault records, BodyStore bodies) {
      this.records = Objects.requireNonNull(records, "records");
      this.bodies = Objects.requireNonNull(bodies, "bodies");
    }

    public Builder clock(Clock c) {
      this.clock = Objects.requireNonNull(c, "clock");
      return this;
    }

    /**
     * How long a body outlives its secret's expiry before the sweeper may take it (an open that claimed just
     * before the expiry still streams). Default 2 min.
     */
    public Builder grace(Duration d) {
      if (d.isNegative()) {
        throw new IllegalArgumentException("the grace must not be negative");
      }
      this.grace = d;
      return this;
    }

    /** How often the sweeper runs. Default 1 min; at least 1 s. */
    public Builder sweepInterval(Duration d) {
      if (d.toMillis() < 1000) {
        throw new IllegalArgumentException("the sweep interval is at least 1 s");
      }
      this.sweepInterval = d;
      return this;
    }

    /**
     * Bytes an upload's part aims at (at least the body store's least, 5 MiB on S3); default the body store's own
     * part size ({@link BodyStore#partSize()}, {@code --s3-part-size}).
     */
    public Builder partSize(int bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("a part size is at least 1 byte");
      }
      this.partSize = bytes;
      return this;
    }

    /**
     * The largest sealed body an upload may reach (the server's {@code --max-size}): parts grow for uploads so that it
     * fits in the 10,000 parts a write in parts allows. Default 1 GiB.
     */
    public Builder largestBody(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("the largest body is at least 1 byte");
      }
      this.largestBody = bytes;
      return this;
    }

    /**
     * How many upload parts this instance moves to the body store at once (each holds up to two parts' bytes in
     * memory while it moves); more wait, and after 30 s are refused (503). Default 4.
     */
    public Builder movesAtOnce(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("at least one move at once");
      }
      this.movesAtOnce = n;
      return this;
    }

    public SplitVault build() {
      return new SplitVault(this);
    }
  }
}
