package io.onetimeshare.memory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Scheduler;
import com.github.benmanes.caffeine.cache.Ticker;
import io.onetimeshare.SecretNotFoundException;
import io.onetimeshare.UploadConflictException;
import io.onetimeshare.spi.PendingUpload;
import io.onetimeshare.spi.SecretRecord;
import io.onetimeshare.spi.UploadProgress;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The memory vault's uploads part: unfinished client-sealed uploads, each a {@link BlockBuffer} charged to the
 * vault's byte budget as it grows, dropped (and given back) when idle or expired, and handed to the vault's store
 * when finished.
 */
final class MemoryUploads {
  /** Makes a filled buffer a stored secret; {@code charge} is taken from the budget already. */
  @FunctionalInterface
  interface Store {
    boolean store(SecretRecord record, BlockBuffer buf, long charge);
  }

  /** An unfinished upload: its buffer, how far it has come, when it was last appended to. */
  record Upload(UploadProgress progress, BlockBuffer buf, long touchedNanos,
      java.util.concurrent.atomic.AtomicBoolean finished) {
    long charge() {
      return buf.reserved() + InMemorySecretVault.ENTRY_OVERHEAD;
    }
  }

  private final Cache<String, Upload> uploads;
  private final Clock clock;
  private final AtomicLong used;
  private final LongConsumer take;
  private final Predicate<String> idTaken;
  private final Store store;

  MemoryUploads(Clock clock, Ticker ticker, AtomicLong used, LongConsumer take, Predicate<String> idTaken,
      Store store) {
    this.clock = clock;
    this.used = used;
    this.take = take;
    this.idTaken = idTaken;
    this.store = store;
    this.uploads = Caffeine.newBuilder().ticker(ticker).executor(Runnable::run)
        .scheduler(Scheduler.systemScheduler())
        .<String, Upload>expireAfter(new Expiry<String, Upload>() {
          @Override
          public long expireAfterCreate(String key, Upload u, long currentTime) {
            return uploadLife(u);
          }

          @Override
          public long expireAfterUpdate(String key, Upload u, long currentTime, long currentDuration) {
            return uploadLife(u);
          }

          @Override
          public long expireAfterRead(String key, Upload u, long currentTime, long currentDuration) {
            return currentDuration;
          }
        })
        .removalListener((@Nullable String k, @Nullable Upload u, RemovalCause cause) -> {
          if (u != null && cause != RemovalCause.REPLACED && !u.finished().get()) {
            used.addAndGet(-u.charge());
            u.buf().wipe();
          }
        })
        .build();
  }

  Cache<String, Upload> cache() {
    return uploads;
  }

  /** Until the upload's expiry, or {@link PendingUpload#IDLE} after its last segment, whichever comes first. */
  private long uploadLife(Upload u) {
    long toExpiry = Duration.between(clock.instant(), u.progress().upload().expiresAt()).toNanos();
    return Math.max(0, Math.min(toExpiry, PendingUpload.IDLE.toNanos()));
  }

  void begin(PendingUpload upload) {
    Objects.requireNonNull(upload, "upload");
    take.accept(InMemorySecretVault.ENTRY_OVERHEAD);
    Upload u = new Upload(UploadProgress.start(upload), new BlockBuffer(take, used), System.nanoTime(),
        new java.util.concurrent.atomic.AtomicBoolean());
    if (idTaken.test(upload.id()) || uploads.asMap().putIfAbsent(upload.id(), u) != null) {
      used.addAndGet(-InMemorySecretVault.ENTRY_OVERHEAD);
      throw new IllegalStateException("id collision");
    }
  }

  Optional<UploadProgress> progress(String id) {
    Upload u = uploads.getIfPresent(id);
    return u == null || u.finished().get() ? Optional.empty() : Optional.of(u.progress());
  }

  long append(String id, long index, byte[] segment) {
    long[] count = {-1};
    uploads.asMap().compute(id, (k, u) -> {
      if (u == null || u.finished().get()) {
        return u;
      }
      UploadProgress next = u.progress().append(index, segment.length);
      if (index >= u.progress().segments()) { // not a resend
        u.buf().writeAllOrNothing(segment);
      }
      count[0] = next.segments();
      return new Upload(next, u.buf(), System.nanoTime(), u.finished());
    });
    if (count[0] < 0) {
      throw new SecretNotFoundException();
    }
    return count[0];
  }

  void finish(String id, byte[] header) {
    Upload u = uploads.getIfPresent(id);
    if (u == null) {
      throw new SecretNotFoundException();
    }
    if (u.progress().segments() == 0) {
      throw new UploadConflictException("The upload has no segment yet.", 0);
    }
    take.accept(header.length);
    if (!u.finished().compareAndSet(false, true)) {
      used.addAndGet(-header.length);
      throw new SecretNotFoundException();
    }
    SecretRecord record = u.progress().upload().record(header);
    try {
      store.store(record, u.buf(), u.charge() + header.length);
    } catch (RuntimeException e) {
      used.addAndGet(-(u.charge() + header.length));
      u.buf().wipe();
      throw e;
    } finally {
      // removed only once the secret is stored: at every moment the upload or its secret holds the id (a request's
      // answer is never seen as abandoned while it is being finished)
      uploads.asMap().remove(id, u);
    }
  }

  boolean abort(String id) {
    return uploads.asMap().remove(id) != null;
  }
}
