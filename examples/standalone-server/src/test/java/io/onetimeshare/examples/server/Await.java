package io.onetimeshare.examples.server;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition with a deadline, instead of sleeping and hoping it happened. */
final class Await {
  private Await() {}

  /** Polls {@code condition} every 10 ms until it holds; fails with {@code what} after {@code deadline}. */
  static void until(BooleanSupplier condition, Duration deadline, String what) throws InterruptedException {
    long end = System.nanoTime() + deadline.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - end > 0) {
        throw new AssertionError("not within " + deadline.toMillis() + " ms: " + what);
      }
      Thread.sleep(10);
    }
  }
}
