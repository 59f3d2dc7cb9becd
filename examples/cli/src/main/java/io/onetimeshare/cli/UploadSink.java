package io.onetimeshare.cli;

import java.io.OutputStream;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;

/**
 * Collects sealed segments into requests of whole segments and sends each; keeps a request until the server holds
 * all of it, and after a failure asks how far the server got and sends only the rest. A request is sent by a thread
 * of its own while the next one is sealed (issue 25, lever 2: sealing, sending and the server's write and sync took
 * turns before); one request is in flight at a time, in order. Memory: two requests.
 */
final class UploadSink extends OutputStream {
  private final Api api;
  private final String id;
  private final String token;
  private final int sealed;
  private byte[] buf;
  private byte @Nullable [] spare;
  private int len;
  /** Segments the server holds; written by the sending thread, read after its request completed. */
  private long sent;
  private long total;
  private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "ots-upload");
    t.setDaemon(true);
    return t;
  });
  private @Nullable Future<byte[]> inFlight;

  UploadSink(Api api, String id, String token, int sealedSegment, long maxRequestBytes) {
    this.api = api;
    this.id = id;
    this.token = token;
    this.sealed = sealedSegment;
    int size = (int) Math.max(sealedSegment, maxRequestBytes / sealedSegment * sealedSegment);
    this.buf = new byte[size];
    this.spare = new byte[size];
  }

  @Override
  public void write(int b) {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int n) {
    while (n > 0) {
      int k = Math.min(n, buf.length - len);
      System.arraycopy(b, off, buf, len, k);
      len += k;
      off += k;
      n -= k;
      total += k;
      if (len == buf.length) {
        handOver();
      }
    }
  }

  /** Sealed bytes written so far. */
  long total() {
    return total;
  }

  /** Sends the full buffer on the sending thread once the request before it is complete; fills the other meanwhile. */
  private void handOver() {
    byte[] full = buf;
    int n = len;
    byte[] free = await();
    byte[] next = free != null ? free : spare;
    buf = java.util.Objects.requireNonNull(next);
    spare = null;
    len = 0;
    inFlight = sender.submit(() -> {
      ship(full, n);
      return full;
    });
  }

  /** Waits for the request in flight; returns its buffer, or null if none was in flight. */
  private byte @Nullable [] await() {
    Future<byte[]> f = inFlight;
    if (f == null) {
      return null;
    }
    inFlight = null;
    try {
      return f.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new CliException(Ots.FAILURE, "The upload failed: " + e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(Ots.FAILURE, "Interrupted.");
    }
  }

  private void ship(byte[] data, int length) {
    int n = length;
    long first = sent;
    long segments = ((long) n + sealed - 1) / sealed;
    for (int attempt = 1; ; attempt++) {
      try {
        long held = api.append(id, token, first, data, 0, n);
        if (held < first + segments) {
          throw new CliException(Ots.UNAVAILABLE, "The server kept " + held + " segments of " + (first + segments)
              + ".");
        }
        sent = held;
        return;
      } catch (CliException e) {
        if (e.code != Ots.UNAVAILABLE || attempt >= 8) {
          throw e;
        }
      }
      pause(attempt);
      try {
        long held = api.progress(id, token);
        if (held >= first + segments) {
          sent = held;
          return;
        }
        if (held > first) { // part of this request arrived: send only the rest
          int skip = (int) ((held - first) * sealed);
          System.arraycopy(data, skip, data, 0, n - skip);
          n -= skip;
          segments -= held - first;
          first = held;
        }
      } catch (CliException still) {
        if (still.code != Ots.UNAVAILABLE) {
          throw still;
        }
      }
    }
  }

  private static void pause(int attempt) {
    try {
      Thread.sleep(Math.min(8000, 250L << attempt));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(Ots.FAILURE, "Interrupted.");
    }
  }

  /** Sends what is left and waits until the server holds every segment. */
  @Override
  public void close() {
    try {
      await();
      if (len > 0) {
        ship(buf, len);
        len = 0;
      }
    } finally {
      stop();
    }
  }

  /** Stops sending (after a failure elsewhere); a request in flight may still complete. Idempotent. */
  void stop() {
    sender.shutdownNow();
  }
}
