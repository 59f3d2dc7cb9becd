package io.onetimeshare.spi;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where sealed bodies live apart from their records (issue 37): an object store (S3), a directory, memory. A body
 * store holds only ciphertext (the sealed segments of an envelope) under keys its caller chooses; it knows nothing of
 * secrets, claims or expiry, which stay with the records ({@link SecretVault}), so nothing about exactly once depends
 * on it. Keys are at most 200 characters of {@code A-Z a-z 0-9 / _ -} and sort as their caller wants them swept
 * ({@link #keysBefore}).
 *
 * <p>Thread-safe. A store that cannot be reached throws {@link IOException} (or {@link
 * io.onetimeshare.StoreUnavailableException}); a body that is not there is an empty {@link Optional}, never an
 * exception.
 *
 * @since 0.3
 */
public interface BodyStore extends Closeable {
  /** Writes a whole body, streamed from {@code body}; nothing is readable under {@code key} unless this returns. */
  void write(String key, InputStream body) throws IOException;

  /** The body under {@code key}, to be read once and closed; empty when there is none. */
  Optional<Body> read(String key) throws IOException;

  /** Deletes the body under {@code key}; nothing happens when there is none. */
  void delete(String key) throws IOException;

  /** Up to {@code max} keys that sort before {@code bound}, in order (a sweeper's listing of what is past due). */
  List<String> keysBefore(String bound, int max) throws IOException;

  /** Begins a body written in parts (resumable); returns the id of this write. */
  String beginParts(String key) throws IOException;

  /**
   * Writes part {@code number} (1 to 10,000; every part but the last at least {@link #minPartSize()} bytes) of an
   * unfinished write; returns what {@link #completeParts} needs to name it (an S3 ETag). Writing a number again
   * replaces that part.
   */
  String writePart(String key, String writeId, int number, byte[] data) throws IOException;

  /**
   * Writes part {@code number} from its pieces, in order: the same as {@link #writePart(String, String, int, byte[])}
   * with their concatenation, which is what this default does. A store that can send the pieces as they are
   * overrides it, so a part gathered from a request's segments is not copied once more (issue 37).
   *
   * @since 0.3
   */
  default String writePart(String key, String writeId, int number, List<byte[]> pieces) throws IOException {
    long length = 0;
    for (byte[] p : pieces) {
      length += p.length;
    }
    if (length > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("A part is at most 2 GiB.");
    }
    byte[] data = new byte[(int) length];
    int at = 0;
    for (byte[] p : pieces) {
      System.arraycopy(p, 0, data, at, p.length);
      at += p.length;
    }
    return writePart(key, writeId, number, data);
  }

  /** Makes the parts, in order, the body under {@code key}. */
  void completeParts(String key, String writeId, List<String> parts) throws IOException;

  /** Drops an unfinished write and its parts; nothing happens when there is none. */
  void abortParts(String key, String writeId) throws IOException;

  /** Up to {@code max} unfinished writes, the oldest first where the store can tell. */
  List<Unfinished> unfinished(int max) throws IOException;

  /** The smallest size of a part that is not the last (S3: 5 MiB). */
  default int minPartSize() {
    return 5 << 20;
  }

  /**
   * The size of a part this store prefers for bodies written in parts (at least {@link #minPartSize()}); default 8
   * MiB or the least, whichever is larger.
   *
   * @since 0.3
   */
  default int partSize() {
    return Math.max(minPartSize(), 8 << 20);
  }

  @Override
  default void close() throws IOException {
  }

  /**
   * A body being read.
   *
   * @param stream its bytes, once
   * @param length its length in bytes
   */
  record Body(InputStream stream, long length) { }

  /**
   * A write in parts that was begun and neither completed nor aborted.
   *
   * @param key the body's key
   * @param writeId the write's id
   * @param started when it began, or null when the store cannot tell
   */
  record Unfinished(String key, String writeId, @org.jspecify.annotations.Nullable Instant started) { }

  /** Checks a key's form (1-200 of {@code A-Z a-z 0-9 / _ -}, no {@code //}, not starting or ending with '/'). */
  static String checkKey(String key) {
    if (key == null || !key.matches("[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*") || key.length() > 200) {
      throw new IllegalArgumentException("a body key is 1-200 characters of A-Z a-z 0-9 / _ -");
    }
    return key;
  }
}
