package io.onetimeshare.servlet.internal;

import io.onetimeshare.TooLargeException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads at most {@code max} bytes of a request body whatever its framing (Content-Length or chunked): the read that
 * passes the cap throws {@link TooLargeException} (413) at once, so no endpoint reads or parses more than its cap.
 * Optionally calls a {@link Meter} with the bytes read in steps, so a per-client byte budget is charged as the body
 * arrives rather than after it was stored.
 */
public final class BoundedInputStream extends FilterInputStream {
  /** Charges bytes read; throws to stop the read (the budget is spent). */
  @FunctionalInterface
  public interface Meter {
    void charge(long bytes);
  }

  private static final long STEP = 256 * 1024;
  private final long max;
  private final Meter meter;
  private long count;
  private long charged;

  public BoundedInputStream(InputStream in, long max, Meter meter) {
    super(in);
    this.max = max;
    this.meter = meter;
  }

  public BoundedInputStream(InputStream in, long max) {
    this(in, max, b -> { });
  }

  /** Bytes read so far. */
  public long count() {
    return count;
  }

  /** Declares bytes already charged (a Content-Length paid up front): later steps charge only what goes beyond. */
  public void prepaid(long bytes) {
    charged = Math.max(charged, bytes);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    // never ask for more than one byte past the cap, so the body is not read further than needed to refuse it
    int n = super.read(b, off, (int) Math.min(len, Math.max(1, max + 1 - count)));
    if (n > 0) {
      count += n;
      if (count > max) {
        throw new TooLargeException(max);
      }
      if (count - charged >= STEP) {
        meter.charge(count - charged);
        charged = count;
      }
    } else if (n < 0 && count > charged) {
      meter.charge(count - charged);
      charged = count;
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    byte[] sink = new byte[(int) Math.min(8192, Math.max(1, n))];
    long done = 0;
    while (done < n) {
      int r = read(sink, 0, (int) Math.min(sink.length, n - done));
      if (r < 0) {
        break;
      }
      done += r;
    }
    return done;
  }
}
