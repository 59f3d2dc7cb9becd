package io.onetimeshare.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.onetimeshare.OverloadedException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Issue 19, finding 2: the gate bounds Argon2id by memory, not only by the number of derivations. */
class KdfGateTest {

  @Test
  void derivationsLargerThanTheUnitTakeMoreOfTheBudget() throws Exception {
    KdfGate gate = new KdfGate(2, 1000, 4, Duration.ofSeconds(10)); // 2,000 KiB in all
    AtomicInteger running = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Runnable work = () -> {
        peak.accumulateAndGet(running.incrementAndGet(), Math::max);
        try {
          release.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        running.decrementAndGet();
      };
      Future<?> a = pool.submit(() -> gate.run(1500, () -> { work.run(); return null; }));
      Future<?> b = pool.submit(() -> gate.run(1500, () -> { work.run(); return null; }));
      Thread.sleep(300);
      assertEquals(1, running.get(), "two derivations of 1,500 KiB ran at once in a 2,000 KiB budget");
      release.countDown();
      a.get(10, TimeUnit.SECONDS);
      b.get(10, TimeUnit.SECONDS);
      assertEquals(1, peak.get());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void smallDerivationsStillRunOnePerUnit() throws Exception {
    KdfGate gate = new KdfGate(2, 1000, 4, Duration.ofSeconds(10));
    CountDownLatch both = new CountDownLatch(2);
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      Future<Boolean> a = pool.submit(() -> gate.run(10, () -> await(both)));
      Future<Boolean> b = pool.submit(() -> gate.run(10, () -> await(both)));
      assertTrue(a.get(10, TimeUnit.SECONDS) && b.get(10, TimeUnit.SECONDS), "two small derivations ran together");
      assertEquals(2, gate.peakConcurrency());
      assertThrows(OverloadedException.class, () -> gate.run(2001, () -> null), "larger than the whole budget");
    } finally {
      pool.shutdownNow();
    }
  }

  private static boolean await(CountDownLatch both) {
    both.countDown();
    try {
      return both.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
