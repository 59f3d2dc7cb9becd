package io.onetimeshare.file;

import io.onetimeshare.internal.Bytes;
import io.onetimeshare.internal.Ids;
import io.onetimeshare.spi.PendingUpload;
import io.onetimeshare.spi.RequestRecord;
import io.onetimeshare.spi.SecretTrace;
import io.onetimeshare.spi.Subscription;
import io.onetimeshare.spi.RequestStore.Answering;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;

/**
 * The file vault's secret requests (issue 23): {@code <id>.req} (expiry, public key, the asker's token hash, the
 * subscription; written aside and linked, never over another) and {@code <id>.ans}, made with {@code CREATE_NEW} by
 * the one answer that begins: of any number of processes racing to answer, the file system lets exactly one create it.
 * A subscribed request's end is watched through the outbox's subscription file, as a secret's is.
 */
final class FileRequests {
  static final String SUFFIX = ".req";
  static final String ANSWERED = ".ans";
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  /** Begins an upload; throws IllegalStateException when the id is taken. */
  interface Begin {
    void begin(PendingUpload u);
  }

  private final Path dir;
  private final boolean fsync;
  private final FileAttribute<?> privateFile;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  FileRequests(Path dir, boolean fsync, FileAttribute<?> privateFile, Clock clock) {
    this.dir = dir;
    this.fsync = fsync;
    this.privateFile = privateFile;
    this.clock = clock;
  }

  private Path req(String id) {
    return dir.resolve(Ids.requireValid(id) + SUFFIX);
  }

  private Path ans(String id) {
    return dir.resolve(Ids.requireValid(id) + ANSWERED);
  }

  private void write(Path tmp, String text) throws IOException {
    try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
        NOFOLLOW), privateFile)) {
      ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
      while (b.hasRemaining()) {
        ch.write(b);
      }
      if (fsync) {
        ch.force(true);
      }
    }
  }

  void put(RequestRecord r) throws IOException {
    HexFormat hex = HexFormat.of();
    Path tmp = dir.resolve(r.id() + "." + Bytes.base64Url(Bytes.random(random, 9)) + FileSecretVault.TMP);
    try {
      write(tmp, r.expiresAt().toEpochMilli() + "\n" + hex.formatHex(r.publicKey()) + "\n"
          + hex.formatHex(r.ownerTokenHash()) + "\n" + Bytes.base64Url(r.subscription().encode().getBytes(
              StandardCharsets.UTF_8)) + "\n" + (r.answerTokenHash() == null ? "" : hex.formatHex(r.answerTokenHash()))
          + "\n");
      try {
        // a hard link appears whole and only if nothing has the name (rename(2) would replace another request)
        Files.createLink(req(r.id()), tmp);
      } catch (FileAlreadyExistsException e) {
        throw new IllegalStateException("id collision");
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  Optional<RequestRecord> get(String id) throws IOException {
    Path p = req(id);
    if (Files.isSymbolicLink(p)) {
      return Optional.empty();
    }
    String[] f;
    try {
      f = new String(Files.readAllBytes(p), StandardCharsets.US_ASCII).split("\n");
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    if (f.length < 3) {
      throw new IOException("not a request file");
    }
    Instant answered = null;
    try {
      answered = Instant.ofEpochMilli(Long.parseLong(new String(Files.readAllBytes(ans(id)),
          StandardCharsets.US_ASCII).trim()));
    } catch (NoSuchFileException e) {
      // waiting
    } catch (NumberFormatException e) {
      answered = Instant.EPOCH; // a marker being written: answered all the same
    }
    HexFormat hex = HexFormat.of();
    Subscription sub = f.length > 3 && !f[3].isEmpty() ? Subscription.decode(new String(
        java.util.Base64.getUrlDecoder().decode(f[3]), StandardCharsets.UTF_8)) : Subscription.NONE;
    RequestRecord r = new RequestRecord(id, Instant.ofEpochMilli(Long.parseLong(f[0])), hex.parseHex(f[1]),
        hex.parseHex(f[2]), answered, sub);
    if (f.length > 4 && !f[4].isEmpty()) {
      r = r.withAnswerTokenHash(hex.parseHex(f[4])); // absent only on a request stored before answer tokens (pre-0.3.0 builds)
    }
    return clock.instant().isBefore(r.expiresAt().plus(SecretTrace.RETENTION)) ? Optional.of(r) : Optional.empty();
  }

  /** Whether anything of an answer is under the id: its upload, its secret, or the trace its finish wrote. */
  interface AnswerLives {
    boolean test(String id) throws IOException;
  }

  /**
   * Begins the one answer. A marker whose answer left nothing ({@code lives} false: its upload was dropped idle or
   * aborted before it was stored) is renamed away first, which only one process can do; the upload's own creation
   * (atomic: an id holds one upload) then decides between any that raced, so exactly one begins.
   */
  Answering beginAnswer(PendingUpload u, Begin begin, AnswerLives lives) throws IOException {
    Optional<RequestRecord> r = get(u.id());
    Instant now = clock.instant();
    if (r.isEmpty() || r.get().isExpiredAt(now)) {
      return Answering.NO_REQUEST;
    }
    try {
      write(ans(u.id()), Long.toString(now.toEpochMilli())); // CREATE_NEW: exactly one answer begins
    } catch (FileAlreadyExistsException e) {
      if (lives.test(u.id())) {
        return Answering.ALREADY_ANSWERED;
      }
      Path stale = dir.resolve(u.id() + "." + Bytes.base64Url(Bytes.random(random, 9)) + FileSecretVault.TMP);
      try {
        Files.move(ans(u.id()), stale, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Files.deleteIfExists(stale);
        write(ans(u.id()), Long.toString(now.toEpochMilli()));
      } catch (NoSuchFileException | FileAlreadyExistsException raced) {
        return Answering.ALREADY_ANSWERED; // another responder took the abandoned request over first
      }
    }
    try {
      begin.begin(u);
    } catch (IllegalStateException collision) {
      return Answering.ALREADY_ANSWERED; // a secret or an upload holds the id: it stays answered
    } catch (RuntimeException e) {
      Files.deleteIfExists(ans(u.id())); // nothing began (no room, the store failed): still waiting
      throw e;
    }
    return Answering.STARTED;
  }

  boolean delete(String id) throws IOException {
    boolean was = Files.deleteIfExists(req(id));
    Files.deleteIfExists(ans(id));
    return was;
  }

  /** Forgets requests past their retention. */
  void sweep() throws IOException {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        String id = name.substring(0, name.length() - SUFFIX.length());
        if (!Ids.isValid(id)) {
          continue;
        }
        try {
          if (get(id).isEmpty()) {
            delete(id);
          }
        } catch (IOException | RuntimeException e) {
          // unreadable: left for an operator
        }
      }
    }
  }
}
