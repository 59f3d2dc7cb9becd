package io.onetimeshare.cli;

import java.io.OutputStream;

/**
 * Collects sealed segments into requests of whole segments and sends each; keeps a request until the server holds
 * all of it, and after a failure asks how far the server got and sends only the rest. Memory: one request.
 */
final class UploadSink extends OutputStream {
  private final Api api;
  private final String id;
  private final String token;
  private final int sealed;
  private final byte[] buf;
  private int len;
  private long sent;
  private long total;

  UploadSink(Api api, String id, String token, int sealedSegment, long maxRequestBytes) {
    this.api = api;
    this.id = id;
    this.token = token;
    this.sealed = sealedSegment;
    this.buf = new byte[(int) Math.max(sealedSegment, maxRequestBytes / sealedSegment * sealedSegment)];
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
        ship();
      }
    }
  }

  /** Sealed bytes written so far. */
  long total() {
    return total;
  }

  private void ship() {
    long first = sent;
    long segments = ((long) len + sealed - 1) / sealed;
    for (int attempt = 1; ; attempt++) {
      try {
        long held = api.append(id, token, first, buf, 0, len);
        if (held < first + segments) {
          throw new CliException(Ots.UNAVAILABLE, "The server kept " + held + " segments of " + (first + segments)
              + ".");
        }
        sent = held;
        len = 0;
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
          len = 0;
          return;
        }
        if (held > first) { // part of this request arrived: send only the rest
          int skip = (int) ((held - first) * sealed);
          System.arraycopy(buf, skip, buf, 0, len - skip);
          len -= skip;
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

  @Override
  public void close() {
    if (len > 0) {
      ship();
    }
  }
}
