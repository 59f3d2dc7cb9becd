package io.onetimeshare.servlet;

import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A warning that may repeat once per request (the store is down, and every request fails the same way): the first
 * one is logged at once, the ones that follow within the interval are counted, and the next one after it is logged
 * with that count. So an outage costs one line per interval per kind, not one per request (issue 19, finding 12: a
 * Redis failover logged about 1,350 lines per instance in seconds). Thread-safe.
 */
final class SummarisedLog {
  private final System.Logger log;
  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private boolean started;
  private long windowStart;
  private long suppressed;

  SummarisedLog(System.Logger log, long interval, TimeUnit unit, LongSupplier nanoTime) {
    this.log = log;
    this.intervalNanos = unit.toNanos(interval);
    this.nanoTime = nanoTime;
  }

  /** Logs {@code message} at WARNING now, or counts it when one was logged less than the interval ago. */
  void warn(String message) {
    long more;
    synchronized (this) { // only arithmetic under the lock; the logger is called after it
      long now = nanoTime.getAsLong();
      if (started && now - windowStart < intervalNanos) {
        suppressed++;
        return;
      }
      started = true;
      windowStart = now;
      more = suppressed;
      suppressed = 0;
    }
    long seconds = TimeUnit.NANOSECONDS.toSeconds(intervalNanos);
    log.log(Level.WARNING, more == 0 ? message
        : message + " (" + more + " more like it since the last such line, at most one per " + seconds + " s)");
  }
}
