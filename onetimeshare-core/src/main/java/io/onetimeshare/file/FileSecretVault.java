package io.onetimeshare.file;

// Longer than 400 lines: put, peek, claim, attempts, delete and the upload and trace hand-offs share one directory
// layout and the stripe locks that make each of them atomic against the others; what stands alone is its own part
// (Sweeping, FileIo, TraceFiles, UploadFiles, FileRequestStore, FileOutbox). The next part to leave is the record codec.

import static io.onetimeshare.file.FileIo.storeIo;
import static io.onetimeshare.file.FileIo.unavailable;

import io.onetimeshare.InvalidArgumentException;
import io.onetimeshare.spi.PendingUpload;
import io.onetimeshare.spi.SecretRecord;
import io.onetimeshare.spi.SecretState;
import io.onetimeshare.spi.SecretTrace;
import io.onetimeshare.spi.SecretVault;
import io.onetimeshare.spi.UploadProgress;
import io.onetimeshare.StoreUnavailableException;
import io.onetimeshare.internal.Bytes;
import io.onetimeshare.internal.Ids;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A {@link SecretVault} on a local directory, for large files and for secrets that must survive a restart.
 *
 * <ul>
 *   <li>Writes are crash-safe: a temp file is written, fsynced and atomically renamed to {@code <id>.ots}; the
 *       directory is fsynced. A crash leaves at most a temp file, which is never served and is swept later.
 *   <li>A claim opens the file, then renames it to a unique claimed name: rename is atomic, so of any number of
 *       threads or processes on one directory exactly one wins. The winner unlinks the claimed name at once and
 *       streams from its open file handle (POSIX semantics), so nothing lingers after a claim.
 *   <li>Expired secrets are never served and are deleted by a sweep ({@link #sweep()}, also run periodically).
 *   <li>Ids are validated before they become file names, so no input can reach outside the directory.
 * </ul>
 *
 * <p>File layout (little more than a frame around the sealed envelope): {@code "OTSV" | u8 version=1 | i64 expiry
 * epoch millis | i32 attempts left | 32-byte SHA-256 of the deletion token | u16 header length | header | body}.
 *
 * <p>Why this class is long: every operation of the SPI is a short sequence of file-system steps whose order is the
 * crash-safety argument (write aside, fsync, rename; claim by rename, then unlink; attempts under a file lock), and
 * those sequences are easiest to check side by side in one place. What is not about committed secrets lives apart:
 * {@code TraceFiles} (receipts), {@code UploadFiles} (client uploads), {@code FileRequestStore} (requests); the rest is the directory checks, the sweep
 * and the builder's documented settings.
 *
 * @since 0.1
 */
public final class FileSecretVault implements SecretVault {
  private static final System.Logger LOG = System.getLogger(FileSecretVault.class.getName());
  private static final byte[] MAGIC = {'O', 'T', 'S', 'V'};
  private static final int ATTEMPTS_OFFSET = 4 + 1 + 8;
  static final String SUFFIX = ".ots";
  static final String TMP = ".tmp";
  static final String LOCK = ".lock";
  static final String CLAIMED = ".claimed";
  private static final Object[] STRIPES = new Object[64];

  static {
    for (int i = 0; i < STRIPES.length; i++) {
      STRIPES[i] = new Object();
    }
  }

  /** Never follow a link inside the directory: a planted {@code <id>.ots} link must not be read or written through. */
  private static final java.nio.file.LinkOption NOFOLLOW = java.nio.file.LinkOption.NOFOLLOW_LINKS;
  private static final java.nio.file.attribute.FileAttribute<?> PRIVATE_FILE =
      java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
          java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
  private final Path dir;
  private final Clock clock;
  private final io.onetimeshare.spi.ShareEvents events;
  private final boolean fsync;
  private final Duration staleAfter;
  private final SecureRandom random = new SecureRandom();
  private final @org.jspecify.annotations.Nullable ScheduledExecutorService sweeper;
  /** This instance's id: its temp files carry it, and it holds {@code .<instance>.lock} while alive. */
  private final String instance = Bytes.base64Url(Bytes.random(random, 6));
  private FileChannel lockChannel;
  private FileLock instanceLock;
  private final TraceFiles traces;
  private final UploadFiles uploads;
  private final Sweeping sweeping;
  private final FileOutbox outbox;
  private final FileRequests requests;
  private final FileRequestStore requestStore;

  private FileSecretVault(Builder b) {
    this.dir = b.dir;
    this.clock = b.clock;
    this.events = b.events;
    this.fsync = b.fsync;
    this.staleAfter = b.staleTempAfter;
    this.traces = new TraceFiles(dir, fsync, PRIVATE_FILE);
    this.uploads = new UploadFiles(dir, fsync, PRIVATE_FILE);
    this.requests = new FileRequests(dir, fsync, PRIVATE_FILE, clock);
    this.sweeping = new Sweeping(dir, clock, events, staleAfter, instance, traces, uploads, this::readRecord,
        this::destroyExpired);
    try {
      prepareDirectory(dir);
      this.outbox = new FileOutbox(dir, fsync, PRIVATE_FILE, java.nio.file.attribute.PosixFilePermissions
          .asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")), clock,
          // subscriptions whose secret ended unseen are looked for at most every 2 s (every take without a sweep)
          b.sweepInterval.isZero() ? Duration.ZERO : Duration.ofSeconds(2).compareTo(b.sweepInterval) < 0
              ? Duration.ofSeconds(2) : b.sweepInterval);
      this.requestStore = new FileRequestStore(requests, outbox, id -> Files.exists(committed(id), NOFOLLOW),
          id -> uploadProgress(id).isPresent(), id -> uploads.exists(id) || Files.exists(committed(id), NOFOLLOW)
          || traces.read(id).isPresent(), this::beginUpload);
      outbox.secrets(new FileOutbox.Secrets() {
        @Override
        public boolean present(String id) {
          return Files.exists(committed(id), NOFOLLOW);
        }

        @Override
        public boolean destroyIfExpired(String id, Instant now) throws IOException {
          Path p = committed(id);
          SecretRecord r;
          try (InputStream in = Files.newInputStream(p, NOFOLLOW)) {
            r = readRecord(id, new DataInputStream(in));
          } catch (NoSuchFileException e) {
            return false;
          }
          return r.isExpiredAt(now) && destroy(p);
        }

        @Override
        public Optional<SecretTrace> trace(String id) throws IOException {
          return traces.read(id);
        }
      });
      Path lockFile = dir.resolve("." + instance + LOCK);
      // 0600 like every other file here (issue 19, finding 15: it was the one file umask made 0644)
      lockChannel = FileChannel.open(lockFile, java.util.Set.of(NOFOLLOW, StandardOpenOption.CREATE,
          StandardOpenOption.WRITE), PRIVATE_FILE);
      instanceLock = lockChannel.lock(); // released by the OS if this process dies, however it dies
      // the lock file is ours: the directory must belong to the same user (compared as principals, so a uid with no
      // name, as in a container running as 65532, works too)
      java.nio.file.attribute.UserPrincipal owner = Files.getOwner(dir);
      if (!owner.equals(Files.getOwner(lockFile, NOFOLLOW))) {
        lockChannel.close();
        Files.deleteIfExists(lockFile);
        throw new InvalidArgumentException("The vault directory " + dir + " belongs to " + owner.getName()
            + ", not to the user who runs the server; chown it or choose another directory.");
      }
    } catch (IOException e) {
      throw new StoreUnavailableException("Cannot create the vault directory.", e);
    }
    sweepQuietly(); // leftovers of crashed processes go at once
    if (b.sweepInterval.isZero()) {
      this.sweeper = null;
    } else {
      this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "onetimeshare-file-vault-sweeper");
        t.setDaemon(true);
        return t;
      });
      long ms = b.sweepInterval.toMillis();
      var unused = sweeper.scheduleWithFixedDelay(this::sweepQuietly, 0, ms, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Creates the directory 0700 whatever the umask, or checks an existing one: it must be a directory owned by this
   * process's user and writable by nobody else, or the vault refuses to start (others could plant or swap files).
   */
  private static void prepareDirectory(Path dir) throws IOException {
    boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    if (!Files.exists(dir, NOFOLLOW) && !Files.isSymbolicLink(dir)) {
      Files.createDirectories(dir);
      if (posix) {
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
      }
    }
    if (!Files.isDirectory(dir)) {
      throw new InvalidArgumentException("The vault path " + dir + " is not a directory.");
    }
    if (!posix) {
      return;
    }
    java.nio.file.attribute.PosixFileAttributes a = Files.readAttributes(dir,
        java.nio.file.attribute.PosixFileAttributes.class);
    java.util.Set<java.nio.file.attribute.PosixFilePermission> p = a.permissions();
    if (p.contains(java.nio.file.attribute.PosixFilePermission.GROUP_WRITE)
        || p.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE)) {
      throw new InvalidArgumentException("The vault directory " + dir + " is writable by other users ("
          + java.nio.file.attribute.PosixFilePermissions.toString(p) + "); make it 0700.");
    }
  }

  public static Builder builder(Path directory) {
    return new Builder(directory);
  }

  private Path committed(String id) {
    return dir.resolve(Ids.requireValid(id) + SUFFIX);
  }

  @Override
  public void put(SecretRecord record, BodyWriter body) throws IOException {
    Path target = committed(record.id());
    Path tmp = dir.resolve(record.id() + "." + instance + "." + Bytes.base64Url(Bytes.random(random, 9)) + TMP);
    boolean done = false;
    try {
      try (FileChannel ch = FileChannel.open(tmp, java.util.Set.of(NOFOLLOW,
          StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), PRIVATE_FILE)) {
        OutputStream raw = new FileIo.StoreOutputStream(Channels.newOutputStream(ch));
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw, 64 * 1024));
        byte[] header = record.header();
        storeIo(() -> {
          out.write(MAGIC);
          out.writeByte(1);
          out.writeLong(record.expiresAt().toEpochMilli());
          out.writeInt(record.attemptsLeft());
          out.write(record.deleteTokenHash());
          out.writeShort(header.length);
          out.write(header);
        });
        body.writeTo(out);
        storeIo(() -> {
          out.flush();
          if (fsync) {
            ch.force(true);
          }
        });
      }
      storeIo(() -> {
        traces.write(SecretTrace.waiting(record), tmpTag());
        outbox.subscribe(record.id(), record.expiresAt(), record.subscription());
        try {
          Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          throw new IOException("the filesystem cannot rename atomically", e);
        }
        if (Files.exists(tmp)) {
          throw new FileAlreadyExistsException(target.getFileName().toString());
        }
        syncDir();
        if (record.subscription().wants(io.onetimeshare.spi.EventType.CREATED)) {
          outbox.created(record.id());
        }
      });
      done = true;
    } finally {
      if (!done) {
        Files.deleteIfExists(tmp);
        if (!record.subscription().isEmpty() && !Files.exists(target, NOFOLLOW)) {
          outbox.forget(record.id()); // nobody is to hear of a secret that was never stored
        }
      }
    }
  }

  /** The sweep's destroyer: an expired secret it reclaims records its expiry. */
  private boolean destroyExpired(Path p) throws IOException {
    boolean d = destroy(p);
    if (d) {
      String name = p.getFileName().toString();
      outbox.ended(name.substring(0, name.length() - SUFFIX.length()), io.onetimeshare.spi.EventType.EXPIRED);
    }
    return d;
  }

  private String tmpTag() {
    return instance + "." + Bytes.base64Url(Bytes.random(random, 9));
  }

  private static Object stripe(String id) {
    return STRIPES[Math.floorMod(id.hashCode(), STRIPES.length)];
  }

  private void end(String id, SecretState how) {
    synchronized (stripe(id)) {
      storeIo(() -> {
        traces.end(id, how, clock.instant(), tmpTag());
        outbox.ended(id, io.onetimeshare.spi.EventType.ofEnd(how));
      });
    }
  }

  private void syncDir() throws IOException {
    if (fsync) {
      try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
        d.force(true);
      } catch (IOException e) {
        // some filesystems refuse to open a directory; the rename is still atomic
      }
    }
  }

  @Override
  public Optional<SecretRecord> peek(String id) {
    Path p = committed(id);
    try (InputStream in = Files.newInputStream(p, NOFOLLOW)) {
      SecretRecord r = readRecord(id, new DataInputStream(in));
      return r.isExpiredAt(clock.instant()) ? Optional.empty() : Optional.of(r);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      if (isLink(p)) {
        return Optional.empty();
      }
      throw unavailable(e);
    }
  }

  /** A link planted where a secret would be: never followed, treated as no secret, and reported. */
  private static boolean isLink(Path p) {
    if (Files.isSymbolicLink(p)) {
      // the link's name is a secret's id: not logged (an operator finds it with find -type l)
      LOG.log(Level.WARNING, "A symbolic link sits in the vault directory where a secret would be; ignored.");
      return true;
    }
    return false;
  }

  @Override
  public Optional<ClaimedSecret> claim(String id) {
    Path p = committed(id);
    FileChannel ch;
    try {
      ch = FileChannel.open(p, NOFOLLOW, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      if (isLink(p)) {
        return Optional.empty();
      }
      throw unavailable(e);
    }
    boolean handedOver = false;
    try {
      Path claimed = dir.resolve(id + "." + Bytes.base64Url(Bytes.random(random, 9)) + CLAIMED);
      try {
        Files.move(p, claimed, StandardCopyOption.ATOMIC_MOVE);
      } catch (NoSuchFileException lost) {
        return Optional.empty();
      }
      Files.deleteIfExists(claimed);
      java.io.BufferedInputStream buffered = new java.io.BufferedInputStream(Channels.newInputStream(ch), 64 * 1024);
      long[] recordBytes = new long[1];
      DataInputStream in = new DataInputStream(new java.io.FilterInputStream(buffered) { // counts the record only
        @Override
        public int read() throws IOException {
          int b = super.read();
          recordBytes[0] += b < 0 ? 0 : 1;
          return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          int n = super.read(b, off, len);
          recordBytes[0] += Math.max(0, n);
          return n;
        }

        @Override
        public long skip(long n) throws IOException {
          long k = super.skip(n);
          recordBytes[0] += Math.max(0, k);
          return k;
        }
      });
      SecretRecord r = readRecord(id, in);
      if (r.isExpiredAt(clock.instant())) {
        storeIo(() -> outbox.ended(id, io.onetimeshare.spi.EventType.EXPIRED));
        return Optional.empty();
      }
      end(id, SecretState.OPENED);
      handedOver = true;
      return Optional.of(ClaimedSecret.of(r, buffered, ch.size() - recordBytes[0]));
    } catch (IOException e) {
      throw unavailable(e);
    } finally {
      if (!handedOver) {
        try {
          ch.close();
        } catch (IOException ignored) {
          // nothing to do
        }
      }
    }
  }

  @Override
  public OptionalInt reserveAttempt(String id) {
    return adjustAttempts(id, -1);
  }

  @Override
  public void refundAttempt(String id) {
    adjustAttempts(id, +1);
  }

  private OptionalInt adjustAttempts(String id, int delta) {
    Path p = committed(id);
    synchronized (stripe(id)) {
      try (FileChannel ch = FileChannel.open(p, NOFOLLOW, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
           FileLock lock = ch.lock()) {
        assert lock.isValid(); // held across processes until the attempt count is written
        SecretRecord r = readRecord(id, new DataInputStream(Channels.newInputStream(ch.position(0))));
        if (r.isExpiredAt(clock.instant()) || !Files.exists(p)) {
          return OptionalInt.empty();
        }
        int left = r.attemptsLeft() + delta;
        if (left < 0) {
          return OptionalInt.empty(); // no attempt left to take
        }
        ByteBuffer b = ByteBuffer.allocate(4).putInt(0, left);
        ch.write(b, ATTEMPTS_OFFSET);
        if (fsync) {
          ch.force(false);
        }
        return OptionalInt.of(left);
      } catch (NoSuchFileException e) {
        return OptionalInt.empty();
      } catch (IOException e) {
        if (isLink(p)) {
          return OptionalInt.empty();
        }
        throw unavailable(e);
      }
    }
  }

  @Override
  public boolean delete(String id, SecretState reason) {
    Path p = committed(id);
    boolean live;
    boolean destroyed;
    try {
      Optional<SecretRecord> r = peek(id);
      destroyed = destroy(p);
      live = destroyed && r.isPresent();
    } catch (IOException e) {
      throw unavailable(e);
    }
    if (live) {
      end(id, reason);
    } else if (destroyed) {
      storeIo(() -> outbox.ended(id, io.onetimeshare.spi.EventType.EXPIRED));
    }
    return live;
  }

  /** This vault keeps secret requests ({@link FileRequestStore}). */
  @Override
  public Optional<io.onetimeshare.spi.RequestStore> requests() {
    return Optional.of(requestStore);
  }

  @Override
  public Optional<io.onetimeshare.spi.EventOutbox> outbox() {
    return Optional.of(outbox);
  }

  @Override
  public Optional<SecretTrace> trace(String id) {
    try {
      return traces.read(id).filter(t -> clock.instant().isBefore(t.forgetAt()));
    } catch (IOException e) {
      throw unavailable(e);
    }
  }

  @Override
  public void beginUpload(PendingUpload upload) {
    if (Files.exists(committed(upload.id()), NOFOLLOW)) {
      throw new IllegalStateException("id collision");
    }
    storeIo(() -> {
      outbox.subscribeUpload(upload.id(), upload.expiresAt(), upload.subscription());
      uploads.begin(upload);
    });
  }

  @Override
  public Optional<UploadProgress> uploadProgress(String id) {
    try {
      return uploads.progress(id).filter(p -> clock.instant().isBefore(p.upload().expiresAt()));
    } catch (IOException e) {
      throw unavailable(e);
    }
  }

  @Override
  public long appendSegment(String id, long index, byte[] segment) {
    synchronized (stripe(id)) {
      try {
        return uploads.append(id, index, segment, clock.instant());
      } catch (IOException e) {
        throw unavailable(e);
      }
    }
  }

  @Override
  public void syncUpload(String id) {
    storeIo(() -> uploads.sync(Ids.requireValid(id)));
  }

  @Override
  public void finishUpload(String id, byte[] header) {
    synchronized (stripe(id)) {
      storeIo(() -> {
        PendingUpload u = uploadProgress(id).orElseThrow(io.onetimeshare.SecretNotFoundException::new).upload();
        if (Files.exists(committed(id), NOFOLLOW)) { // before its trace is written over (the link refuses too)
          throw new io.onetimeshare.UploadConflictException("A secret with this id exists already: an upload is "
              + "committed once.", uploadProgress(id).map(UploadProgress::segments).orElse(0L));
        }
        traces.write(SecretTrace.waiting(u.record(header)), tmpTag());
        boolean subscribed = outbox.finishing(id);
        try {
          uploads.finish(id, header, committed(id));
        } catch (IOException | RuntimeException e) {
          if (subscribed && !Files.exists(committed(id), NOFOLLOW)) {
            outbox.unfinishing(id);
          }
          throw e;
        }
        syncDir();
        if (subscribed) {
          outbox.created(id);
        }
      });
    }
  }

  @Override
  public boolean abortUpload(String id) {
    try {
      return uploads.abort(id);
    } catch (IOException e) {
      throw unavailable(e);
    }
  }

  /** Removes a committed file atomically with respect to claims (rename first, then unlink). */
  private boolean destroy(Path p) throws IOException {
    Path gone = dir.resolve(p.getFileName() + "." + Bytes.base64Url(Bytes.random(random, 9)) + CLAIMED);
    try {
      Files.move(p, gone, StandardCopyOption.ATOMIC_MOVE);
    } catch (NoSuchFileException e) {
      return false;
    }
    Files.deleteIfExists(gone);
    syncDir();
    return true;
  }

  /**
   * Deletes expired secrets, and temp and claimed files left by a crash (older than the stale age). Returns how many
   * expired secrets were reclaimed.
   */
  public int sweep() {
    int n = sweeping.sweep();
    try {
      requests.sweep();
    } catch (IOException e) {
      throw unavailable(e);
    }
    return n;
  }

  private void sweepQuietly() {
    try {
      sweep();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Sweeping the vault directory failed: {0}", e.getMessage());
    }
  }

  private SecretRecord readRecord(String id, DataInputStream in) throws IOException {
    byte[] magic = new byte[4];
    in.readFully(magic);
    int version = in.readUnsignedByte();
    if (!java.util.Arrays.equals(magic, MAGIC) || (version != 1 && version != 2)) {
      throw new IOException("not a vault file");
    }
    long expiry = in.readLong();
    int attempts = in.readInt();
    byte[] tokenHash = new byte[32];
    in.readFully(tokenHash);
    int hl = in.readUnsignedShort();
    byte[] header = new byte[hl];
    in.readFully(header);
    if (version == 2) { // a finished upload: the header sits in a fixed slot, padded up to the body
      in.skipNBytes(UploadFiles.HEADER_SLOT - 2 - hl);
    }
    return new SecretRecord(id, Instant.ofEpochMilli(expiry), header, tokenHash, Math.max(0, attempts));
  }

  @Override
  public void close() {
    if (sweeper != null) {
      sweeper.shutdownNow();
    }
    try {
      instanceLock.release();
      lockChannel.close();
      Files.deleteIfExists(dir.resolve("." + instance + LOCK));
    } catch (IOException | RuntimeException ignored) {
      // the OS releases the lock with the process anyway
    }
  }

  /** Builds a {@link FileSecretVault}. */
  public static final class Builder {
    private final Path dir;
    private Clock clock = Clock.systemUTC();
    private io.onetimeshare.spi.ShareEvents events = io.onetimeshare.spi.ShareEvents.NONE;

    /** Where to report the secrets this vault finds expired and reclaims. Default: nowhere. */
    public Builder events(io.onetimeshare.spi.ShareEvents events) {
      this.events = Objects.requireNonNull(events, "events");
      return this;
    }
    private Duration sweepInterval = Duration.ofMinutes(1);
    private Duration staleTempAfter = Duration.ofMinutes(10);
    private boolean fsync = true;

    private Builder(Path dir) {
      this.dir = Objects.requireNonNull(dir, "directory");
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** How often expired secrets are swept; zero turns the background sweep off. Default 1 minute. */
    public Builder sweepInterval(Duration interval) {
      if (interval.isNegative()) {
        throw new InvalidArgumentException("sweepInterval must not be negative");
      }
      this.sweepInterval = interval;
      return this;
    }

    /** Age after which a leftover temp or claimed file counts as abandoned by a crash. Default 10 minutes. */
    public Builder staleTempAfter(Duration age) {
      this.staleTempAfter = Objects.requireNonNull(age, "age");
      return this;
    }

    /** Whether writes are fsynced (default true; turn off only for throwaway data). */
    public Builder fsync(boolean fsync) {
      this.fsync = fsync;
      return this;
    }

    public FileSecretVault build() {
      return new FileSecretVault(this);
    }
  }
}
