package io.onetimeshare.redis;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.onetimeshare.StoreUnavailableException;
import io.onetimeshare.redis.internal.RedisApi;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The body of a secret in Redis: inline in the head when small, else chunk keys written as they fill (at most a few
 * in flight) and read back with GETDEL, the next chunk prefetched; no single command ever carries a whole large file.
 */
final class ChunkIo {
  private final RedisApi api;
  private final KeyLayout keys;
  private final int inlineLimit;
  private final int chunkSize;

  ChunkIo(RedisApi api, KeyLayout keys, int inlineLimit, int chunkSize) {
    this.api = api;
    this.keys = keys;
    this.inlineLimit = inlineLimit;
    this.chunkSize = chunkSize;
  }

  ChunkWriter writer(String id, long chunkExpiryMs) {
    return new ChunkWriter(id, chunkExpiryMs);
  }

  InputStream reader(String id, long chunks) {
    return new ChunkReader(id, chunks);
  }

  /** Buffers the first {@code inlineLimit} bytes; beyond that writes chunks of {@code chunkSize} as they fill. */
  final class ChunkWriter extends OutputStream {
    private final String id;
    private final long chunkExpiryMs;
    private byte[] buf = new byte[1024];
    private int len;
    long chunks;
    /** Every byte written: the body's length, kept in the head for Content-Length. */
    long bytes;
    private final Deque<RedisFuture<String>> inFlight = new ArrayDeque<>();
    /** Runs once before the first chunk is stored (a body too large to keep inline): budgets are charged there. */
    private @org.jspecify.annotations.Nullable Runnable beforeFirstChunk;

    ChunkWriter(String id, long chunkExpiryMs) {
      this.id = id;
      this.chunkExpiryMs = chunkExpiryMs;
    }

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int n) {
      bytes += n;
      while (n > 0) {
        if (len == chunkSize) {
          send(buf); // a full chunk with more data behind it: hand the buffer over, start a new one
          buf = new byte[chunkSize];
          len = 0;
        }
        int take = Math.min(n, chunkSize - len);
        if (len + take > buf.length) {
          // small bodies grow up to the inline limit; past it a body is chunked, so take a whole chunk at once
          int size = len + take > inlineLimit ? chunkSize : Math.min(inlineLimit, Math.max(buf.length * 2, len + take));
          buf = Arrays.copyOf(buf, size);
        }
        System.arraycopy(b, off, buf, len, take);
        len += take;
        off += take;
        n -= take;
      }
    }

    void beforeFirstChunk(Runnable r) {
      this.beforeFirstChunk = r;
    }

    private void send(byte[] data) {
      Runnable first = beforeFirstChunk;
      if (first != null) {
        beforeFirstChunk = null;
        first.run();
      }
      long n = chunks++;
      inFlight.add(api.issue(c -> c.set(keys.chunk(id, n), data, SetArgs.Builder.pxAt(chunkExpiryMs))));
      while (inFlight.size() > 2) {
        api.await(inFlight.poll()); // bounds memory: at most a few chunks in flight
      }
    }

    byte[] inline() {
      return Arrays.copyOf(buf, len);
    }

    void finish() {
      if ((chunks > 0 || len > inlineLimit) && len > 0) {
        send(len == buf.length ? buf : Arrays.copyOf(buf, len));
        len = 0;
      }
      while (!inFlight.isEmpty()) {
        api.await(inFlight.poll());
      }
    }

    void abandon() {
      try {
        while (!inFlight.isEmpty()) {
          api.await(inFlight.poll());
        }
      } catch (StoreUnavailableException ignored) {
        // the chunks expire on their own
      }
      deleteChunks(id, chunks);
    }
  }

  void deleteChunks(String id, long n) {
    if (n <= 0) {
      return;
    }
    try {
      for (long from = 0; from < n; from += 512) {
        long to = Math.min(n, from + 512);
        byte[][] batch = new byte[(int) (to - from)][];
        for (long i = from; i < to; i++) {
          batch[(int) (i - from)] = keys.chunk(id, i);
        }
        api.call(c -> c.del(batch));
      }
    } catch (StoreUnavailableException ignored) {
      // chunks carry their own expiry; they go away regardless
    }
  }

  /**
   * Streams chunk after chunk (GETDEL, the next one prefetched); deletes what is left when closed early. Not a
   * {@link java.io.SequenceInputStream}: that one takes each remaining element to close, which here would fetch
   * every remaining chunk of a large secret instead of deleting them in batches.
   */
  private final class ChunkReader extends InputStream {
    private final String id;
    private final long chunks;
    private long next;
    private byte[] current = new byte[0];
    private int pos;
    private @Nullable RedisFuture<byte[]> prefetch;
    private boolean closed;

    ChunkReader(String id, long chunks) {
      this.id = id;
      this.chunks = chunks;
      this.prefetch = fetch(0);
    }

    private RedisFuture<byte[]> fetch(long n) {
      return api.issue(c -> c.getdel(keys.chunk(id, n)));
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (closed) {
        throw new IOException("stream closed");
      }
      while (pos == current.length) {
        if (next == chunks) {
          return -1;
        }
        RedisFuture<byte[]> pending = Objects.requireNonNull(prefetch, "prefetch"); // next < chunks
        byte[] got = api.await(pending);
        next++;
        prefetch = next < chunks ? fetch(next) : null;
        if (got == null) {
          throw new IOException("a chunk of the secret is missing from Redis");
        }
        current = got;
        pos = 0;
      }
      int n = Math.min(len, current.length - pos);
      System.arraycopy(current, pos, b, off, n);
      pos += n;
      return n;
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        if (next < chunks) {
          deleteChunks(id, chunks);
        }
      }
    }
  }

}
