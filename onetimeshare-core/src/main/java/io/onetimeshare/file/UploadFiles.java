package io.onetimeshare.file;

import io.onetimeshare.spi.PendingUpload;
import io.onetimeshare.SecretNotFoundException;
import io.onetimeshare.UploadConflictException;
import io.onetimeshare.spi.UploadProgress;
import io.onetimeshare.internal.Ids;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Unfinished uploads of a {@link FileSecretVault}: each is a file {@code <id>.upload} already laid out as a vault file
 * of version 2 (a fixed 86-byte slot for the envelope header before the body), so that finishing writes the header
 * into its slot and renames the file into place, atomic and without copying the body. While pending, the slot holds
 * a zero header length and the segment size; the segments stored are counted from the file's length.
 */
final class UploadFiles {
  static final String SUFFIX = ".upload";
  static final int PREFIX = 4 + 1 + 8 + 4 + 32;
  static final int HEADER_SLOT = 2 + 84;
  static final int BODY_OFFSET = PREFIX + HEADER_SLOT;
  private static final byte[] MAGIC = {'O', 'T', 'S', 'V'};

  private final Path dir;
  private final boolean fsync;
  private final FileAttribute<?> privateFile;

  UploadFiles(Path dir, boolean fsync, FileAttribute<?> privateFile) {
    this.dir = dir;
    this.fsync = fsync;
    this.privateFile = privateFile;
  }

  Path path(String id) {
    return dir.resolve(Ids.requireValid(id) + SUFFIX);
  }

  void begin(PendingUpload u) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(BODY_OFFSET);
    b.put(MAGIC).put((byte) 2).putLong(u.expiresAt().toEpochMilli()).putInt(u.attemptsLeft())
        .put(u.deleteTokenHash()).putShort((short) 0).putInt(u.segmentSize());
    b.position(BODY_OFFSET).flip();
    try (FileChannel ch = FileChannel.open(path(u.id()), Set.of(StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), privateFile)) {
      while (b.hasRemaining()) {
        ch.write(b);
      }
      if (fsync) {
        ch.force(true);
      }
    } catch (java.nio.file.FileAlreadyExistsException e) {
      throw new IllegalStateException("id collision"); // an id holds one upload: of racing begins, one creates it
    }
  }

  /** Whether an upload's file is there (even one being created or one past its expiry). */
  boolean exists(String id) {
    return Files.exists(path(id), LinkOption.NOFOLLOW_LINKS);
  }

  Optional<UploadProgress> progress(String id) throws IOException {
    try (FileChannel ch = FileChannel.open(path(id), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.of(read(id, ch));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  private static UploadProgress read(String id, FileChannel ch) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(BODY_OFFSET);
    while (b.hasRemaining() && ch.read(b, b.position()) > 0) {
      // fill
    }
    if (b.hasRemaining()) {
      throw new IOException("truncated upload file");
    }
    b.flip();
    byte[] magic = new byte[4];
    b.get(magic);
    if (!java.util.Arrays.equals(magic, MAGIC) || b.get() != 2) {
      throw new IOException("not an upload file");
    }
    Instant expires = Instant.ofEpochMilli(b.getLong());
    int attempts = b.getInt();
    byte[] hash = new byte[32];
    b.get(hash);
    if (b.getShort() != 0) {
      throw new IOException("an upload file with a header");
    }
    PendingUpload u = new PendingUpload(id, expires, hash, attempts, b.getInt());
    long body = ch.size() - BODY_OFFSET;
    long full = u.sealedSegmentBytes();
    return new UploadProgress(u, body / full + (body % full == 0 ? 0 : 1), body, body % full != 0);
  }

  /** Appends under the caller's lock; a failed write is cut off again, so the file stays at a segment boundary. */
  long append(String id, long index, byte[] segment, Instant now) throws IOException {
    try (FileChannel ch = FileChannel.open(path(id), StandardOpenOption.READ, StandardOpenOption.WRITE,
        LinkOption.NOFOLLOW_LINKS); java.nio.channels.FileLock lock = ch.lock()) {
      assert lock.isValid();
      UploadProgress before = read(id, ch);
      if (!now.isBefore(before.upload().expiresAt())) { // checked on the file it writes: one open per segment
        throw new SecretNotFoundException();
      }
      UploadProgress after = before.append(index, segment.length);
      if (index < before.segments()) { // a resend
        return before.segments();
      }
      long end = BODY_OFFSET + before.bytes();
      try {
        ByteBuffer b = ByteBuffer.wrap(segment);
        long pos = end;
        while (b.hasRemaining()) {
          pos += ch.write(b, pos);
        }
        // not forced here: the request syncs its segments together (sync), before the client learns of them
      } catch (IOException e) {
        ch.truncate(end);
        throw e;
      }
      return after.segments();
    } catch (NoSuchFileException e) {
      throw new SecretNotFoundException();
    }
  }

  /** Forces the upload's appended segments to the disk (one sync per request, not per segment). */
  void sync(String id) throws IOException {
    if (!fsync) {
      return;
    }
    try (FileChannel ch = FileChannel.open(path(id), StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
      ch.force(false);
    } catch (NoSuchFileException e) {
      // finished or dropped meanwhile: nothing of it is left to sync
    }
  }

  /** Writes the header into its slot, then links the upload to {@code target} (never replacing a file there). */
  void finish(String id, byte[] header, Path target) throws IOException {
    if (header.length > 84) {
      throw new IllegalArgumentException("an envelope header is at most 84 bytes");
    }
    Path p = path(id);
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE,
        LinkOption.NOFOLLOW_LINKS); java.nio.channels.FileLock lock = ch.lock()) {
      assert lock.isValid();
      if (read(id, ch).segments() == 0) {
        throw new UploadConflictException("The upload has no segment yet.", 0);
      }
      ByteBuffer b = ByteBuffer.allocate(HEADER_SLOT);
      b.putShort((short) header.length).put(header);
      b.clear();
      long pos = PREFIX;
      while (b.hasRemaining()) {
        pos += ch.write(b, pos);
      }
      if (fsync) {
        ch.force(true);
      }
      // a link, then the upload's own name removed (issue 36, finding 12): a rename would replace a file already at
      // the target, so a second commit under the same id would overwrite the first; a link refuses to
      try {
        Files.createLink(target, p);
      } catch (java.nio.file.FileAlreadyExistsException e) {
        throw new UploadConflictException("A secret with this id exists already: an upload is committed once.",
            read(id, ch).segments());
      }
      Files.delete(p);
    } catch (NoSuchFileException e) {
      throw new SecretNotFoundException();
    }
  }

  boolean abort(String id) throws IOException {
    return Files.deleteIfExists(path(id));
  }

  /** Deletes an upload past its expiry or idle for {@link PendingUpload#IDLE}; true if deleted. */
  boolean sweep(Path p, String id, Instant now) throws IOException {
    UploadProgress u;
    try {
      u = progress(id).orElse(null);
    } catch (IOException | RuntimeException e) {
      return false;
    }
    if (u == null) {
      return false;
    }
    Instant touched = Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toInstant();
    if (!now.isBefore(u.upload().expiresAt()) || touched.plus(PendingUpload.IDLE).isBefore(Instant.now())) {
      return Files.deleteIfExists(p);
    }
    return false;
  }
}
