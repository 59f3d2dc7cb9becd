package io.onetimeshare.internal;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * Runs the lanes of one Argon2 slice on the calling thread and up to (cores - 1) shared helper threads. The caller
 * takes lanes too and never waits for a helper that has not started: if every helper is busy (another derivation,
 * as under load when the {@link KdfGate} already runs one derivation per core), the caller computes all the lanes
 * itself, so parallel lanes never add threads beyond the cores nor slow a loaded server down. Helpers are daemon
 * threads that end after 10 idle seconds, so an undeployed web application does not keep them.
 */
final class LaneRunner {
  private static final int HELPERS = Runtime.getRuntime().availableProcessors() - 1;

  private LaneRunner() {}

  private static final class Pool {
    static final ThreadPoolExecutor EXECUTOR = create();

    private static ThreadPoolExecutor create() {
      AtomicInteger n = new AtomicInteger();
      ThreadPoolExecutor executor = new ThreadPoolExecutor(HELPERS, HELPERS, 10, TimeUnit.SECONDS,
          new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "ots-argon2-lane-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
          });
      executor.allowCoreThreadTimeOut(true);
      return executor;
    }
  }

  /** Calls {@code lane} for 0 to {@code lanes - 1}, possibly at the same time, and returns when all have returned. */
  static void forEachLane(int lanes, IntConsumer lane) {
    if (lanes == 1 || HELPERS < 1) {
      for (int i = 0; i < lanes; i++) {
        lane.accept(i);
      }
      return;
    }
    AtomicInteger next = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(lanes);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Runnable worker = () -> {
      for (int i = next.getAndIncrement(); i < lanes; i = next.getAndIncrement()) {
        try {
          lane.accept(i);
        } catch (Throwable t) { // rethrown on the caller's thread below
          failure.compareAndSet(null, t);
        } finally {
          done.countDown();
        }
      }
    };
    for (int h = Math.min(HELPERS, lanes - 1); h > 0; h--) {
      try {
        Pool.EXECUTOR.execute(worker);
      } catch (RejectedExecutionException | OutOfMemoryError e) {
        // no helper thread could be started: the caller takes the lanes; it must not leave before the helpers that
        // did start, which write into the memory the caller wipes next
        break;
      }
    }
    worker.run();
    awaitUninterruptibly(done);
    Throwable t = failure.get();
    if (t instanceof RuntimeException re) {
      throw re;
    }
    if (t instanceof Error err) {
      throw err;
    }
  }

  /** Helpers write into memory the caller reads next, so the caller waits for them even when interrupted. */
  private static void awaitUninterruptibly(CountDownLatch done) {
    boolean interrupted = false;
    while (true) {
      try {
        done.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
