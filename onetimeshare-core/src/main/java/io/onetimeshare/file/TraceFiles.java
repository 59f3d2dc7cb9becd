package io.onetimeshare.file;

import io.onetimeshare.spi.SecretState;
import io.onetimeshare.spi.SecretTrace;
import io.onetimeshare.internal.Ids;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * The receipts' traces of a {@link FileSecretVault}: one small file {@code <id>.trace} per secret (magic, expiry,
 * state, time, deletion-token hash; 54 bytes), replaced atomically (written aside, then renamed over) and swept
 * {@link SecretTrace#RETENTION} after the secret's expiry.
 */
final class TraceFiles {
  static final String SUFFIX = ".trace";
  private static final byte[] MAGIC = {'O', 'T', 'S', 'T'};
  private static final SecretState[] STATES = {SecretState.WAITING, SecretState.OPENED, SecretState.DELETED,
      SecretState.BURNED};

  private final Path dir;
  private final boolean fsync;
  private final FileAttribute<?> privateFile;

  TraceFiles(Path dir, boolean fsync, FileAttribute<?> privateFile) {
    this.dir = dir;
    this.fsync = fsync;
    this.privateFile = privateFile;
  }

  private Path path(String id) {
    return dir.resolve(Ids.requireValid(id) + SUFFIX);
  }

  /** Writes (or replaces) the trace; the file is either the old one or the new one, never half of either. */
  void write(SecretTrace t, String tmpTag) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(54);
    b.put(MAGIC).put((byte) 1).putLong(t.expiresAt().toEpochMilli()).put((byte) stateCode(t.state()))
        .putLong(t.at() == null ? 0 : t.at().toEpochMilli()).put(t.deleteTokenHash());
    b.flip();
    Path tmp = dir.resolve(t.id() + "." + tmpTag + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
        java.nio.file.LinkOption.NOFOLLOW_LINKS), privateFile)) {
      while (b.hasRemaining()) {
        ch.write(b);
      }
      if (fsync) {
        ch.force(true);
      }
    }
    try {
      Files.move(tmp, path(t.id()), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  Optional<SecretTrace> read(String id) throws IOException {
    Path p = path(id);
    if (Files.isSymbolicLink(p)) {
      return Optional.empty();
    }
    byte[] raw;
    try {
      raw = Files.readAllBytes(p);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(raw));
    byte[] magic = new byte[4];
    in.readFully(magic);
    if (raw.length != 54 || !java.util.Arrays.equals(magic, MAGIC) || in.readUnsignedByte() != 1) {
      throw new IOException("not a trace file");
    }
    Instant expires = Instant.ofEpochMilli(in.readLong());
    int state = in.readUnsignedByte();
    long at = in.readLong();
    byte[] hash = new byte[32];
    in.readFully(hash);
    if (state >= STATES.length) {
      throw new IOException("not a trace file");
    }
    SecretState s = STATES[state];
    return Optional.of(new SecretTrace(id, expires, hash, s, s == SecretState.WAITING ? null : Instant.ofEpochMilli(at)));
  }

  /** Records how a waiting secret ended; a trace that already ended, or none, is left as it is. */
  void end(String id, SecretState how, Instant when, String tmpTag) throws IOException {
    Optional<SecretTrace> t = read(id);
    if (t.isPresent() && t.get().state() == SecretState.WAITING) {
      write(t.get().ended(how, when), tmpTag);
    }
  }

  /** Deletes the trace file {@code p} when it is past its retention; true if deleted. */
  boolean sweep(Path p, String id, Instant now) throws IOException {
    Optional<SecretTrace> t;
    try {
      t = read(id);
    } catch (IOException | RuntimeException e) {
      return false; // unreadable: left for an operator
    }
    if (t.isPresent() && !now.isBefore(t.get().forgetAt())) {
      return Files.deleteIfExists(p);
    }
    return false;
  }

  private static int stateCode(SecretState s) {
    for (int i = 0; i < STATES.length; i++) {
      if (STATES[i] == s) {
        return i;
      }
    }
    throw new IllegalArgumentException("not a stored state: " + s);
  }
}
