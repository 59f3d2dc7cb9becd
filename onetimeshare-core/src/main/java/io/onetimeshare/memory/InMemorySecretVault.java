package io.onetimeshare.memory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Scheduler;
import com.github.benmanes.caffeine.cache.Ticker;
import io.onetimeshare.CapacityException;
import io.onetimeshare.InvalidArgumentException;
import io.onetimeshare.SecretRecord;
import io.onetimeshare.SecretVault;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link SecretVault} in the JVM heap on Caffeine, with per-entry expiry. It never evicts an unexpired secret to
 * make room: when its byte budget is full, {@link #put} fails with {@link CapacityException}. Secrets do not survive a
 * restart (use the filesystem or Redis vault for that).
 *
 * @since 0.1
 */
public final class InMemorySecretVault implements SecretVault {
  /** Accounting overhead charged per entry besides its bytes. */
  static final int ENTRY_OVERHEAD = 256;

  private final Cache<String, Entry> cache;
  private final Clock clock;
  private final long maxBytes;
  private final AtomicLong usedBytes = new AtomicLong();

  private record Entry(SecretRecord record, byte[] body) {
    long charge() {
      return body.length + record.header().length + ENTRY_OVERHEAD;
    }
  }

  private InMemorySecretVault(Builder b) {
    this.clock = b.clock;
    this.maxBytes = b.maxBytes;
    Caffeine<Object, Object> c = Caffeine.newBuilder()
        .ticker(b.clock == Clock.systemUTC() ? Ticker.systemTicker() : clockTicker(b.clock))
        .executor(Runnable::run)
        .scheduler(Scheduler.systemScheduler());
    this.cache = c.<String, Entry>expireAfter(new Expiry<String, Entry>() {
          @Override
          public long expireAfterCreate(String key, Entry e, long currentTime) {
            return Math.max(0, Duration.between(clock.instant(), e.record().expiresAt()).toNanos());
          }

          @Override
          public long expireAfterUpdate(String key, Entry e, long currentTime, long currentDuration) {
            return currentDuration;
          }

          @Override
          public long expireAfterRead(String key, Entry e, long currentTime, long currentDuration) {
            return currentDuration;
          }
        })
        .removalListener((String k, Entry e, RemovalCause cause) -> {
          if (e != null && cause != RemovalCause.REPLACED) {
            usedBytes.addAndGet(-e.charge());
          }
        })
        .build();
  }

  private static Ticker clockTicker(Clock clock) {
    return () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void put(SecretRecord record, BodyWriter body) throws IOException {
    Objects.requireNonNull(record, "record");
    long room = maxBytes - usedBytes.get();
    BoundedBuffer buf = new BoundedBuffer(room);
    body.writeTo(buf);
    Entry e = new Entry(record, buf.toByteArray());
    long charge = e.charge();
    if (usedBytes.addAndGet(charge) > maxBytes) {
      usedBytes.addAndGet(-charge);
      throw full();
    }
    if (cache.asMap().putIfAbsent(record.id(), e) != null) {
      usedBytes.addAndGet(-charge);
      throw new IllegalStateException("id collision");
    }
  }

  private CapacityException full() {
    return new CapacityException("The in-memory vault is full (" + maxBytes + " bytes); try again when secrets "
        + "have been opened or have expired.");
  }

  @Override
  public Optional<SecretRecord> peek(String id) {
    Entry e = cache.getIfPresent(id);
    if (e == null || e.record().isExpiredAt(clock.instant())) {
      return Optional.empty();
    }
    return Optional.of(e.record());
  }

  @Override
  public Optional<ClaimedSecret> claim(String id) {
    Entry e = cache.asMap().remove(id);
    if (e == null || e.record().isExpiredAt(clock.instant())) {
      return Optional.empty();
    }
    InputStream in = new ByteArrayInputStream(e.body());
    return Optional.of(new ClaimedSecret() {
      @Override
      public SecretRecord record() {
        return e.record();
      }

      @Override
      public InputStream body() {
        return in;
      }

      @Override
      public void close() {
        Arrays.fill(e.body(), (byte) 0);
      }
    });
  }

  @Override
  public OptionalInt recordFailedAttempt(String id) {
    int[] left = {-1};
    cache.asMap().computeIfPresent(id, (k, e) -> {
      if (e.record().isExpiredAt(clock.instant())) {
        return null;
      }
      int n = e.record().attemptsLeft() - 1;
      left[0] = n;
      return n <= 0 ? null : new Entry(e.record().withAttemptsLeft(n), e.body());
    });
    return left[0] < 0 ? OptionalInt.empty() : OptionalInt.of(left[0]);
  }

  @Override
  public boolean delete(String id) {
    Entry e = cache.asMap().remove(id);
    return e != null && !e.record().isExpiredAt(clock.instant());
  }

  /** Reclaims the storage of expired secrets now (it also happens on its own). */
  public void cleanUp() {
    cache.cleanUp();
  }

  /** Bytes currently charged against the budget. */
  public long usedBytes() {
    return usedBytes.get();
  }

  /** Number of secrets held, expired ones not yet reclaimed included. */
  public long size() {
    return cache.estimatedSize();
  }

  @Override
  public void close() {
    cache.invalidateAll();
    cache.cleanUp();
  }

  private final class BoundedBuffer extends OutputStream {
    private final long limit;
    private byte[] buf = new byte[1024];
    private int count;

    BoundedBuffer(long limit) {
      this.limit = Math.min(limit, Integer.MAX_VALUE - 16);
    }

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      if ((long) count + len > limit) {
        throw full();
      }
      if (count + len > buf.length) {
        buf = Arrays.copyOf(buf, (int) Math.min(limit, Math.max((long) buf.length * 2, (long) count + len)));
      }
      System.arraycopy(b, off, buf, count, len);
      count += len;
    }

    byte[] toByteArray() {
      return Arrays.copyOf(buf, count);
    }
  }

  /** Builds an {@link InMemorySecretVault}. */
  public static final class Builder {
    private long maxBytes = 256L * 1024 * 1024;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** The byte budget for all secrets together. Default 256 MiB. */
    public Builder maxBytes(long maxBytes) {
      if (maxBytes < 1024) {
        throw new InvalidArgumentException("maxBytes must be at least 1024");
      }
      this.maxBytes = maxBytes;
      return this;
    }

    /** The clock for expiry. Default: system UTC. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public InMemorySecretVault build() {
      return new InMemorySecretVault(this);
    }
  }
}
