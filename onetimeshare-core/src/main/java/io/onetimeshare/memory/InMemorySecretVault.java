package io.onetimeshare.memory;

// Longer than 400 lines: its caches share one byte budget whose accounting must be read together (see the class
// comment); the outbox (MemoryOutbox), the requests (MemoryRequests) and the uploads (MemoryUploads) are parts.

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Scheduler;
import com.github.benmanes.caffeine.cache.Ticker;
import io.onetimeshare.CapacityException;
import io.onetimeshare.InvalidArgumentException;
import io.onetimeshare.spi.PendingUpload;
import io.onetimeshare.spi.SecretRecord;
import io.onetimeshare.spi.SecretState;
import io.onetimeshare.spi.SecretTrace;
import io.onetimeshare.spi.SecretVault;
import io.onetimeshare.spi.UploadProgress;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A {@link SecretVault} in the JVM heap on Caffeine, with per-entry expiry. It never evicts an unexpired secret to
 * make room: when its byte budget is full, {@link #put} fails with {@link CapacityException}. The budget counts every
 * stored body and every claimed body still being read, so the heap this vault holds never exceeds it. Secrets do not
 * survive a restart (use the filesystem or Redis vault for that).
 *
 * <p>Why this class is long: its three Caffeine caches (secrets, receipts' traces, unfinished uploads) share one byte
 * budget, and every path that takes or gives back budget (put, claim, close of a claimed body, expiry, uploads that
 * grow, finish or are dropped) has to be read together to see that the accounting balances; splitting them would
 * spread one invariant over several classes.
 *
 * @since 0.1
 */
public final class InMemorySecretVault implements SecretVault, io.onetimeshare.spi.RequestStore {
  /** Accounting overhead charged per entry besides its bytes. */
  static final int ENTRY_OVERHEAD = 256;

  /** What a trace holds of the budget. */
  static final int TRACE_CHARGE = 160;

  private final Cache<String, Entry> cache;
  private final Cache<String, SecretTrace> traces;
  private final MemoryUploads uploads;
  private final Clock clock;
  private final io.onetimeshare.spi.ShareEvents events;
  private final long maxBytes;
  private final AtomicLong usedBytes = new AtomicLong();
  private final MemoryOutbox outbox;
  private final MemoryRequests requests;

  /** A stored secret; {@code charge} is what it holds of the budget (its buffer, header and overhead). */
  private record Entry(SecretRecord record, byte[][] body, int last, long charge) {
    Entry withRecord(SecretRecord r) {
      return new Entry(r, body, last, charge);
    }
  }

  private InMemorySecretVault(Builder b) {
    this.clock = b.clock;
    this.events = b.events;
    this.maxBytes = b.maxBytes;
    Caffeine<Object, Object> c = Caffeine.newBuilder()
        .ticker(b.clock.equals(Clock.systemUTC()) ? Ticker.systemTicker() : clockTicker(b.clock))
        .executor(Runnable::run)
        .scheduler(Scheduler.systemScheduler());
    // each entry lives until its own instant (Caffeine's Expiry.creating: fixed at creation, kept on update and read)
    this.cache = c.<String, Entry>expireAfter(Expiry.creating((String k, Entry e) -> until(e.record().expiresAt())))
        .removalListener((@Nullable String k, @Nullable Entry e, RemovalCause cause) -> {
          if (e != null && cause != RemovalCause.REPLACED) {
            usedBytes.addAndGet(-e.charge());
            if (cause == RemovalCause.EXPIRED) {
              report(1);
              ended(e.record().id(), io.onetimeshare.spi.EventType.EXPIRED);
            }
          }
        })
        .build();
    this.traces = Caffeine.newBuilder().ticker(ticker(b.clock)).executor(Runnable::run)
        .scheduler(Scheduler.systemScheduler())
        .<String, SecretTrace>expireAfter(Expiry.creating((String k, SecretTrace t) -> until(t.forgetAt())))
        .removalListener((@Nullable String k, @Nullable SecretTrace t, RemovalCause cause) -> {
          if (t != null && cause != RemovalCause.REPLACED) {
            usedBytes.addAndGet(-TRACE_CHARGE);
          }
        })
        .build();
    this.requests = new MemoryRequests(clock, ticker(b.clock), usedBytes, this::take);
    this.outbox = new MemoryOutbox(clock, (id, now) -> {
      Entry e = cache.asMap().get(id);
      if (e == null || e.record().isExpiredAt(now)) {
        cache.asMap().remove(id, e); // Caffeine's scheduler would, a little later
        return true;
      }
      return false;
    });
    this.uploads = new MemoryUploads(clock, ticker(b.clock), usedBytes, this::take,
        id -> cache.asMap().containsKey(id), this::store);
  }

  private Duration until(Instant at) {
    Duration d = Duration.between(clock.instant(), at);
    return d.isNegative() ? Duration.ZERO : d;
  }

  private Ticker ticker(Clock c) {
    return c.equals(Clock.systemUTC()) ? Ticker.systemTicker() : clockTicker(c);
  }

  private static Ticker clockTicker(Clock clock) {
    return () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
  }

  private void report(long expired) {
    try {
      events.expired(expired);
    } catch (RuntimeException ignored) {
      // a listener must not break the vault
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void put(SecretRecord record, BodyWriter body) throws IOException {
    Objects.requireNonNull(record, "record");
    // every byte buffered is taken from the budget as it grows, so uploads in flight count as much as stored ones
    BlockBuffer buf = new BlockBuffer(this::take, usedBytes);
    boolean stored = false;
    try {
      body.writeTo(buf);
      long charge = buf.reserved() + record.header().length + ENTRY_OVERHEAD;
      take(record.header().length + ENTRY_OVERHEAD);
      stored = store(record, buf, charge);
    } finally {
      if (!stored) {
        usedBytes.addAndGet(-buf.reserved());
        buf.wipe();
      }
    }
  }

  /**
   * Makes a filled buffer a stored secret with its trace; {@code charge} (its buffer, header and overhead) is already
   * taken from the budget, and stays taken on success.
   */
  private boolean store(SecretRecord record, BlockBuffer buf, long charge) {
    take(TRACE_CHARGE);
    Entry e = new Entry(record, buf.blocks(), buf.last(), charge);
    if (cache.asMap().putIfAbsent(record.id(), e) != null) {
      usedBytes.addAndGet(-(record.header().length + ENTRY_OVERHEAD + TRACE_CHARGE));
      throw new IllegalStateException("id collision");
    }
    traces.asMap().merge(record.id(), SecretTrace.waiting(record), (old, neu) -> neu);
    outbox.watch(record);
    return true;
  }

  /** Takes {@code bytes} from the budget, or throws {@link CapacityException} taking nothing. */
  private void take(long bytes) {
    if (usedBytes.addAndGet(bytes) > maxBytes) {
      usedBytes.addAndGet(-bytes);
      throw full();
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
      if (e != null) {
        ended(id, io.onetimeshare.spi.EventType.EXPIRED);
      }
      return Optional.empty();
    }
    end(id, SecretState.OPENED);
    // the body stays in the heap until the reader is done with it (a client may read slowly or never): its bytes
    // stay charged against the budget until then, so stalled downloads cannot push the heap past the budget
    long charge = e.charge();
    usedBytes.addAndGet(charge); // the removal listener has given it back
    InputStream in = BlockBuffer.read(e.body(), e.last());
    long length = BlockBuffer.length(e.body(), e.last());
    return Optional.of(new ClaimedSecret() {
      @Override
      public long bodyLength() {
        return length;
      }

      private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

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
        if (closed.compareAndSet(false, true)) {
          for (byte[] block : e.body()) {
            Arrays.fill(block, (byte) 0);
          }
          usedBytes.addAndGet(-charge);
        }
      }
    });
  }

  @Override
  public OptionalInt reserveAttempt(String id) {
    return adjustAttempts(id, -1);
  }

  @Override
  public void refundAttempt(String id) {
    adjustAttempts(id, +1);
  }

  private OptionalInt adjustAttempts(String id, int delta) {
    int[] left = {-1};
    boolean[] expired = {false};
    cache.asMap().computeIfPresent(id, (k, e) -> {
      if (e.record().isExpiredAt(clock.instant())) {
        expired[0] = true;
        return null;
      }
      int n = e.record().attemptsLeft() + delta;
      if (n < 0) {
        return e; // no attempt left to take
      }
      left[0] = n;
      return e.withRecord(e.record().withAttemptsLeft(n));
    });
    if (expired[0]) {
      ended(id, io.onetimeshare.spi.EventType.EXPIRED);
    }
    return left[0] < 0 ? OptionalInt.empty() : OptionalInt.of(left[0]);
  }

  @Override
  public boolean delete(String id, SecretState reason) {
    Entry e = cache.asMap().remove(id);
    boolean live = e != null && !e.record().isExpiredAt(clock.instant());
    if (live) {
      end(id, reason);
    } else if (e != null) {
      ended(id, io.onetimeshare.spi.EventType.EXPIRED);
    }
    return live;
  }

  private void ended(String id, io.onetimeshare.spi.EventType type) {
    outbox.ended(id, type);
  }

  @Override
  public Optional<io.onetimeshare.spi.EventOutbox> outbox() {
    return Optional.of(outbox);
  }

  private void end(String id, SecretState how) {
    ended(id, io.onetimeshare.spi.EventType.ofEnd(how));
    Instant now = clock.instant();
    traces.asMap().computeIfPresent(id, (k, t) -> t.state() == SecretState.WAITING ? t.ended(how, now) : t);
  }

  /** This vault keeps secret requests itself. */
  @Override
  public Optional<io.onetimeshare.spi.RequestStore> requests() {
    return Optional.of(this);
  }

  @Override
  public void putRequest(io.onetimeshare.spi.RequestRecord request) {
    requests.put(request, id -> cache.asMap().containsKey(id) || uploads.progress(id).isPresent());
    outbox.watchRequest(request);
  }

  @Override
  public Optional<io.onetimeshare.spi.RequestRecord> request(String id) {
    return requests.get(id);
  }

  @Override
  public io.onetimeshare.spi.RequestStore.Answering beginAnswer(PendingUpload upload) {
    return requests.beginAnswer(upload, uploads::begin, id -> cache.asMap().containsKey(id)
        || uploads.cache().asMap().containsKey(id) || traces.asMap().containsKey(id));
  }

  @Override
  public boolean deleteRequest(String id) {
    outbox.unwatchRequest(id);
    return requests.delete(id);
  }

  @Override
  public Optional<SecretTrace> trace(String id) {
    SecretTrace t = traces.getIfPresent(id);
    return t == null || !clock.instant().isBefore(t.forgetAt()) ? Optional.empty() : Optional.of(t);
  }

  @Override
  public void beginUpload(PendingUpload upload) {
    uploads.begin(upload);
  }

  @Override
  public Optional<UploadProgress> uploadProgress(String id) {
    return uploads.progress(id);
  }

  @Override
  public long appendSegment(String id, long index, byte[] segment) {
    return uploads.append(id, index, segment);
  }

  @Override
  public void finishUpload(String id, byte[] header) {
    uploads.finish(id, header);
  }

  @Override
  public boolean abortUpload(String id) {
    return uploads.abort(id);
  }

  /** Reclaims the storage of expired secrets now (it also happens on its own). */
  public void cleanUp() {
    cache.cleanUp();
    traces.cleanUp();
    uploads.cache().cleanUp();
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
    uploads.cache().invalidateAll();
    uploads.cache().cleanUp();
  }

  /** Builds an {@link InMemorySecretVault}. */
  public static final class Builder {
    private long maxBytes = defaultMaxBytes();
    private Clock clock = Clock.systemUTC();
    private io.onetimeshare.spi.ShareEvents events = io.onetimeshare.spi.ShareEvents.NONE;

    /** Where to report the secrets this vault finds expired and reclaims. Default: nowhere. */
    public Builder events(io.onetimeshare.spi.ShareEvents events) {
      this.events = Objects.requireNonNull(events, "events");
      return this;
    }

    private Builder() {}

    /**
     * The default budget: a quarter of the JVM's maximum heap ({@code -Xmx}), at most 1 GiB; the rest of the heap is
     * for requests in flight, buffers and the JVM itself.
     */
    public static long defaultMaxBytes() {
      return Math.max(1024, Math.min(1L << 30, Runtime.getRuntime().maxMemory() / 4));
    }

    /** The byte budget for all secrets together, stored or being read. Default {@link #defaultMaxBytes()}. */
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
