package io.onetimeshare.examples.server;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;

/**
 * Cuts off a request whose body arrives slower than {@code bytesPerSecond}, averaged over the request, once a grace
 * period has passed: a client trickling one byte every few seconds (which the idle timeout never sees) would
 * otherwise hold a request thread for as long as it likes. Counted per request: Jetty 12.1's own {@code
 * HttpConfiguration.setMinRequestDataRate} is no longer enforced, and its {@code MinimumDataRateHandler} measures the
 * bytes of all requests together. The servlet sees an {@code IOException} caused by a {@link TimeoutException} and
 * answers 408.
 */
final class MinimumBodyRate extends Handler.Wrapper {
  static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(3);
  private final long bytesPerSecond;

  MinimumBodyRate(Handler next, long bytesPerSecond) {
    super(next);
    this.bytesPerSecond = bytesPerSecond;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    return super.handle(new Metered(request), response, callback);
  }

  private final class Metered extends Request.Wrapper {
    private final long start = System.nanoTime();
    private long bytes;
    private volatile Content.@Nullable Chunk failure;

    Metered(Request wrapped) {
      super(wrapped);
    }

    @Override
    public Content.@Nullable Chunk read() {
      Content.@Nullable Chunk f = failure;
      if (f != null) {
        return f;
      }
      Content.@Nullable Chunk c = super.read();
      if (c != null) {
        bytes += c.remaining();
      }
      return c;
    }

    @Override
    public void demand(Runnable onContent) {
      long elapsed = System.nanoTime() - start;
      if (elapsed > GRACE_NANOS && bytes * 1_000_000_000L / elapsed < bytesPerSecond) {
        failure = Content.Chunk.from(new TimeoutException("The request body arrived slower than " + bytesPerSecond
            + " bytes/s."));
        onContent.run();
        return;
      }
      super.demand(onContent);
    }
  }
}
