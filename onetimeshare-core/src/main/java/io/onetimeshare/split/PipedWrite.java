package io.onetimeshare.split;

import io.onetimeshare.spi.BodyStore;
import io.onetimeshare.spi.SecretVault;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Streams what a {@link SecretVault.BodyWriter} writes into a {@link BodyStore} that reads its bodies from a stream:
 * the writer runs on a thread of its own and feeds a pipe of 64 KiB, so a body of any size passes with bounded
 * memory. Tells a failure of the writer (reported as it is) from one of the store ({@link StoreFailed}).
 */
final class PipedWrite {
  /** The body store failed (not the writer): its cause is the store's exception. */
  static final class StoreFailed extends Exception {
    private static final long serialVersionUID = 1L;

    StoreFailed(Throwable cause) {
      super(cause.getClass().getSimpleName(), cause, false, false);
    }
  }

  private PipedWrite() {
  }

  static void write(BodyStore bodies, String key, SecretVault.BodyWriter body) throws IOException, StoreFailed {
    AtomicReference<@Nullable Throwable> failed = new AtomicReference<>();
    AtomicBoolean writerEnded = new AtomicBoolean();
    PipedInputStream in = new PipedInputStream(64 * 1024);
    PipedOutputStream out = new PipedOutputStream(in);
    Thread writer = new Thread(() -> {
      try (out) {
        body.writeTo(out);
      } catch (IOException | RuntimeException e) {
        failed.set(e);
      }
    }, "onetimeshare-body-writer");
    writer.setDaemon(true);
    writer.start();
    try (in) {
      bodies.write(key, new FilterInputStream(in) {
        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          int n = super.read(b, off, len);
          if (n < 0 && failed.get() != null) {
            writerEnded.set(true); // the store saw the writer's failure: that one is reported
            throw new IOException("the body could not be written");
          }
          return n;
        }
      });
    } catch (IOException | RuntimeException e) {
      join(writer);
      Throwable w = failed.get();
      if (writerEnded.get() && w != null) {
        rethrow(w);
      }
      throw new StoreFailed(e);
    }
    join(writer);
    Throwable w = failed.get();
    if (w != null) {
      rethrow(w);
    }
  }

  private static void rethrow(Throwable w) throws IOException {
    if (w instanceof IOException io) {
      throw io;
    }
    throw (RuntimeException) w;
  }

  private static void join(Thread t) {
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
