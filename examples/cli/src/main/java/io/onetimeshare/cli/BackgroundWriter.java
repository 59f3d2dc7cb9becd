package io.onetimeshare.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;

/**
 * Writes to a file on a thread of its own while the caller downloads and decrypts the next part (issue 25, lever 2: a
 * 1 GiB open spent most of its main thread's time blocked in the kernel's write-back of the file, with the download
 * stalled meanwhile). Two buffers of 1 MiB, one being written, one being filled; both hold plaintext and are wiped
 * when closed. Not thread-safe: one caller writes.
 */
final class BackgroundWriter extends OutputStream {
  private static final int BUFFER = 1 << 20;
  private final OutputStream out;
  private byte[] buf = new byte[BUFFER];
  private byte[] other = new byte[BUFFER];
  private int len;
  private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "ots-file-writer");
    t.setDaemon(true);
    return t;
  });
  private @Nullable Future<?> inFlight;

  BackgroundWriter(OutputStream out) {
    this.out = out;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int n) throws IOException {
    while (n > 0) {
      int k = Math.min(n, buf.length - len);
      System.arraycopy(b, off, buf, len, k);
      len += k;
      off += k;
      n -= k;
      if (len == buf.length) {
        handOver();
      }
    }
  }

  private void handOver() throws IOException {
    await();
    byte[] full = buf;
    int n = len;
    buf = other;
    other = full;
    len = 0;
    inFlight = writer.submit(() -> {
      out.write(full, 0, n);
      return null;
    });
  }

  private void await() throws IOException {
    Future<?> f = inFlight;
    if (f == null) {
      return;
    }
    inFlight = null;
    try {
      f.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException();
    }
  }

  /** Writes what is left, waits for the writes and closes the file; the buffers are wiped whatever happens. */
  @Override
  public void close() throws IOException {
    try (out) {
      await();
      if (len > 0) {
        out.write(buf, 0, len);
      }
    } finally {
      writer.shutdownNow();
      Arrays.fill(buf, (byte) 0);
      Arrays.fill(other, (byte) 0);
      len = 0;
    }
  }
}
