package io.onetimeshare.internal;

import io.onetimeshare.OverloadedException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Bounds memory-hard work by memory, not only by count: the gate holds {@code concurrency x unitKiB} KiB of Argon2id
 * memory, a derivation of {@code m} KiB takes {@code max(m, unitKiB)} of it for as long as it runs, at most {@code
 * queue} more wait (each for at most {@code maxWait}), and everything beyond fails at once with {@link
 * OverloadedException}. So the heap Argon2id can take is at most {@code concurrency x unitKiB} (a derivation larger
 * than the whole budget is refused), and at most {@code concurrency} derivations run at once, whatever the requests
 * and whatever parameters their envelopes name.
 */
public final class KdfGate {
  private final Semaphore running; // permits are KiB of Argon2id memory
  private final long unitKiB;
  private final int budgetKiB;
  private final int queue;
  private final Duration maxWait;
  private final AtomicInteger waiting = new AtomicInteger();
  private final AtomicInteger active = new AtomicInteger();
  private final AtomicInteger peak = new AtomicInteger();

  private final io.onetimeshare.spi.ShareEvents events;

  /** A gate for derivations of at most {@code unitKiB} each, {@code concurrency} at once. */
  public KdfGate(int concurrency, long unitKiB, int queue, Duration maxWait) {
    this(concurrency, unitKiB, queue, maxWait, io.onetimeshare.spi.ShareEvents.NONE);
  }

  public KdfGate(int concurrency, long unitKiB, int queue, Duration maxWait, io.onetimeshare.spi.ShareEvents events) {
    if (concurrency < 1 || unitKiB < 1 || queue < 0 || maxWait.isNegative()) {
      throw new IllegalArgumentException("concurrency >= 1, unitKiB >= 1, queue >= 0, maxWait >= 0");
    }
    this.unitKiB = unitKiB;
    this.budgetKiB = (int) Math.min(Integer.MAX_VALUE, concurrency * unitKiB);
    this.running = new Semaphore(budgetKiB, true);
    this.queue = queue;
    this.maxWait = maxWait;
    this.events = events;
  }

  /** The most Argon2id memory, in KiB, that derivations through this gate hold at once. */
  public long budgetKiB() {
    return budgetKiB;
  }

  /**
   * Runs a derivation that needs {@code memoryKiB} of Argon2id memory once the budget has room for it. A derivation
   * larger than the whole budget is refused at once (the caller checks parameters first; this is the last line).
   */
  public <T> T run(long memoryKiB, Supplier<T> work) {
    if (memoryKiB > budgetKiB) {
      throw new OverloadedException("This passphrase operation needs more memory than the server allows.");
    }
    int permits = (int) Math.max(memoryKiB, unitKiB);
    long t0 = System.nanoTime();
    int queued = 0;
    if (!running.tryAcquire(permits)) {
      queued = waiting.incrementAndGet();
      if (queued > queue) {
        waiting.decrementAndGet();
        report(() -> events.kdfRejected());
        throw new OverloadedException("Too many passphrase operations are in progress; try again in a moment.");
      }
      try {
        if (!running.tryAcquire(permits, maxWait.toNanos(), TimeUnit.NANOSECONDS)) {
          report(() -> events.kdfRejected());
          throw new OverloadedException("Too many passphrase operations are in progress; try again in a moment.");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new OverloadedException("Interrupted while waiting for a passphrase operation slot.");
      } finally {
        waiting.decrementAndGet();
      }
    }
    int q = queued;
    report(() -> events.kdfAdmitted(Duration.ofNanos(System.nanoTime() - t0), q));
    try {
      peak.accumulateAndGet(active.incrementAndGet(), Math::max);
      return work.get();
    } finally {
      active.decrementAndGet();
      running.release(permits);
    }
  }

  private static void report(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException ignored) {
      // a listener must not break the operation it observes
    }
  }

  /** The most derivations ever seen running at once (for tests and metrics). */
  public int peakConcurrency() {
    return peak.get();
  }
}
