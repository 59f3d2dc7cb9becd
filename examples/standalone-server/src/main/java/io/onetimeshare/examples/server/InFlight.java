package io.onetimeshare.examples.server;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Counts requests from arrival until their response is complete (the callback, not the return of {@code handle}: a
 * download still streaming is in flight), so shutdown can wait for them. Jetty's own {@code GracefulHandler} did not
 * hold the stop for a servlet download in progress here.
 */
final class InFlight extends Handler.Wrapper {
  private final AtomicInteger requests = new AtomicInteger();
  private final Object lock = new Object();

  InFlight(Handler next) {
    super(next);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    requests.incrementAndGet();
    Callback done = new Callback.Nested(callback) {
      @Override
      public void succeeded() {
        finished();
        super.succeeded();
      }

      @Override
      public void failed(Throwable x) {
        finished();
        super.failed(x);
      }
    };
    boolean handled = false;
    try {
      handled = super.handle(request, response, done);
      return handled;
    } finally {
      if (!handled) {
        finished();
      }
    }
  }

  private void finished() {
    if (requests.decrementAndGet() == 0) {
      synchronized (lock) {
        lock.notifyAll();
      }
    }
  }

  /** Waits until no request is in flight or {@code grace} has passed; returns how many are still running. */
  int awaitIdle(Duration grace) throws InterruptedException {
    long end = System.nanoTime() + grace.toNanos();
    synchronized (lock) {
      while (requests.get() > 0) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          break;
        }
        lock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      }
    }
    return requests.get();
  }
}
