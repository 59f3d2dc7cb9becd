package io.onetimeshare.internal;

import io.onetimeshare.OverloadedException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Bounds memory-hard work: at most {@code concurrency} derivations run at once, at most {@code queue} more wait (each
 * for at most {@code maxWait}); everything beyond fails at once with {@link OverloadedException}. So the heap that
 * Argon2id can take is bounded by {@code concurrency x m}, whatever the number of simultaneous requests.
 */
public final class KdfGate {
  private final Semaphore running;
  private final int queue;
  private final Duration maxWait;
  private final AtomicInteger waiting = new AtomicInteger();
  private final AtomicInteger active = new AtomicInteger();
  private final AtomicInteger peak = new AtomicInteger();

  private final io.onetimeshare.ShareEvents events;

  public KdfGate(int concurrency, int queue, Duration maxWait) {
    this(concurrency, queue, maxWait, io.onetimeshare.ShareEvents.NONE);
  }

  public KdfGate(int concurrency, int queue, Duration maxWait, io.onetimeshare.ShareEvents events) {
    if (concurrency < 1 || queue < 0 || maxWait.isNegative()) {
      throw new IllegalArgumentException("concurrency >= 1, queue >= 0, maxWait >= 0");
    }
    this.running = new Semaphore(concurrency, true);
    this.queue = queue;
    this.maxWait = maxWait;
    this.events = events;
  }

  public <T> T run(Supplier<T> work) {
    long t0 = System.nanoTime();
    int queued = 0;
    if (!running.tryAcquire()) {
      queued = waiting.incrementAndGet();
      if (queued > queue) {
        waiting.decrementAndGet();
        report(() -> events.kdfRejected());
        throw new OverloadedException("Too many passphrase operations are in progress; try again in a moment.");
      }
      try {
        if (!running.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS)) {
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
      running.release();
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
