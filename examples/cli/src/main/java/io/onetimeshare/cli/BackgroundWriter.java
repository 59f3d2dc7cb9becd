package io.onetimeshare.cli;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;

/**
 * Writes an existing file on a thread of its own while the caller downloads and decrypts the next part (issue 25,
 * lever 2: a 1 GiB open spent most of its main thread's time blocked in the kernel's write-back of the file, with the
 * download stalled meanwhile). Two buffers of 1 MiB, one being written, one being filled; both hold plaintext and are
 * wiped when closed. Not thread-safe: one caller writes.
 *
 * <p>Where the file system takes it, every full buffer goes to the disk with {@code O_DIRECT}, past the page cache: on
 * the 2-core VM of {@code docs/benchmarks.md}, putting 1 GiB into the page cache cost 1.7-3.6 s of kernel CPU (fresh
 * pages the host has to hand back) against 0.7 s for the same bytes written direct, CPU the download and the
 * decryption need. The last partial buffer, and every write on a file system that refuses {@code O_DIRECT} (tmpfs
 * on older kernels, some network file systems), goes through the page cache as before; a direct write that fails is
 * retried that way, so a refusal found late costs nothing but speed.
 */
final class BackgroundWriter extends OutputStream {
  static final int BUFFER = 1 << 20;
  private static final byte[] ZEROS = new byte[64 * 1024];
  private final Path file;
  private final FileChannel plain;
  private final int align;
  private boolean tryDirect;
  private @Nullable FileChannel direct; // opened and used by the writer thread only
  private boolean wroteDirect; // likewise; read after the writer is done
  private ByteBuffer buf;
  private ByteBuffer other;
  private long handedOver; // bytes given to the writer so far: where the next buffer starts in the file
  private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "ots-file-writer");
    t.setDaemon(true);
    return t;
  });
  private @Nullable Future<?> inFlight;

  /** Writes {@code file}, which must exist (it is never created or followed if it is a link), from its start. */
  BackgroundWriter(Path file) throws IOException {
    this(file, true);
  }

  /** {@code direct} false: through the page cache only, as on a file system that refuses {@code O_DIRECT}. */
  BackgroundWriter(Path file, boolean direct) throws IOException {
    this.file = file;
    this.plain = FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    this.align = alignment(file);
    this.tryDirect = direct;
    this.buf = aligned(BUFFER, align);
    this.other = aligned(BUFFER, align);
  }

  private static int alignment(Path file) {
    try {
      long size = Files.getFileStore(file).getBlockSize();
      return size >= 4096 && size <= BUFFER && Long.bitCount(size) == 1 ? (int) size : 4096;
    } catch (IOException | UnsupportedOperationException e) {
      return 4096;
    }
  }

  private static ByteBuffer aligned(int size, int align) {
    return ByteBuffer.allocateDirect(size + align).alignedSlice(align).limit(size);
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int n) throws IOException {
    while (n > 0) {
      int k = Math.min(n, buf.remaining());
      buf.put(b, off, k);
      off += k;
      n -= k;
      if (!buf.hasRemaining()) {
        handOver();
      }
    }
  }

  private void handOver() throws IOException {
    await();
    ByteBuffer full = buf.flip();
    long at = handedOver;
    handedOver += full.remaining();
    buf = other.clear();
    other = full;
    inFlight = writer.submit(() -> {
      writeFull(full, at);
      return null;
    });
  }

  /** On the writer thread: a full, aligned buffer at an aligned position, direct when the file system lets it. */
  private void writeFull(ByteBuffer b, long at) throws IOException {
    if (tryDirect) {
      try {
        FileChannel d = direct;
        if (d == null) {
          d = FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS, ExtendedOpenOption.DIRECT);
          direct = d;
        }
        while (b.hasRemaining()) {
          d.write(b, at + b.position());
        }
        wroteDirect = true;
        return;
      } catch (IOException | UnsupportedOperationException e) {
        tryDirect = false; // refused (EINVAL) or failed: the page cache from here on, from where the direct write stopped
        closeDirect();
      }
    }
    while (b.hasRemaining()) {
      plain.write(b, at + b.position());
    }
  }

  private void closeDirect() throws IOException {
    FileChannel d = direct;
    direct = null;
    if (d != null) {
      d.close();
    }
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
      throw new InterruptedIOException();
    }
  }

  /** True when at least one buffer went to the disk past the page cache; for tests, after {@link #close()}. */
  boolean wroteDirect() {
    return wroteDirect;
  }

  /** Writes what is left, waits for the writes and closes the file; the buffers are wiped whatever happens. */
  @Override
  public void close() throws IOException {
    try (plain) {
      try {
        await();
      } finally {
        writer.shutdown();
        closeDirect(); // the writer is done (or failed): its channel is no longer in use
      }
      ByteBuffer rest = buf.flip();
      while (rest.hasRemaining()) {
        plain.write(rest, handedOver + rest.position());
      }
    } finally {
      writer.shutdownNow();
      wipe(buf);
      wipe(other);
    }
  }

  private static void wipe(ByteBuffer b) {
    b.clear();
    while (b.hasRemaining()) {
      b.put(ZEROS, 0, Math.min(ZEROS.length, b.remaining()));
    }
    b.clear();
  }
}
