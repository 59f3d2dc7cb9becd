package io.onetimeshare.file;

import io.onetimeshare.internal.Bytes;
import io.onetimeshare.internal.Ids;
import io.onetimeshare.spi.Delivery;
import io.onetimeshare.spi.EventOutbox;
import io.onetimeshare.spi.EventType;
import io.onetimeshare.spi.NotifyTarget;
import io.onetimeshare.spi.SecretState;
import io.onetimeshare.spi.SecretTrace;
import io.onetimeshare.spi.Subscription;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The file vault's outbox (issue 22), in {@code <dir>/events/}. Every step is a file written aside and renamed, so
 * every process sharing the directory sees whole files only:
 *
 * <ul>
 *   <li>{@code <id>.n}: a subscribed secret's subscription, written before the secret is committed. The end of the
 *       secret renames it to {@code <id>.<letter>.end}: a rename succeeds once, so of all the processes that see the
 *       secret end (a claim, a delete, a burn, the sweep of its expiry) exactly one records how.
 *   <li>{@code <id>.<letter>.end}: an end being turned into deliveries; a crash half-way is finished by the next
 *       {@link #take}.
 *   <li>{@code <id>.<letter>.<target>.<due ms>.d}: a delivery waiting; {@code ... .L.<holder>.<until ms>}: taken under
 *       a lease (taking is a rename, so one taker wins; an expired lease is taken over by the same rename).
 * </ul>
 */
final class FileOutbox implements EventOutbox {
  static final String DIR = "events";
  static final String SUB = ".n";
  static final String UPLOAD = ".u";
  static final String END = ".end";
  private static final String WAITING = ".d";
  private static final String LEASED = ".L.";
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  /** How the vault tells the outbox what became of a secret whose end nobody recorded. */
  interface Secrets {
    /** The secret's committed file is still there. */
    boolean present(String id);

    /** Destroys an expired committed secret; true if this call did. */
    boolean destroyIfExpired(String id, Instant now) throws IOException;

    Optional<SecretTrace> trace(String id) throws IOException;
  }

  private final Path dir;
  private final boolean fsync;
  private final FileAttribute<?> privateFile;
  private final Clock clock;
  private final FileAttribute<?> privateDir;
  private final SecureRandom random = new SecureRandom();
  private @Nullable Secrets secrets;
  private volatile long lastRepair = System.nanoTime() - 10_000_000_000L;

  /** Where {@link #take} asks what became of subscribed secrets first; set once by the vault. */
  void secrets(Secrets s) {
    this.secrets = s;
  }

  private final long repairEveryNanos;

  /** {@code repairEvery}: how often a take may run the repair pass (zero: every take). */
  FileOutbox(Path vaultDir, boolean fsync, FileAttribute<?> privateFile, FileAttribute<?> privateDir, Clock clock,
      Duration repairEvery) throws IOException {
    this.repairEveryNanos = repairEvery.toNanos();
    this.dir = vaultDir.resolve(DIR);
    this.fsync = fsync;
    this.privateFile = privateFile;
    this.clock = clock;
    this.privateDir = privateDir;
  }

  /** Made with the first subscription, so a vault that notifies nobody keeps its directory as it was. */
  private void ensureDir() throws IOException {
    if (!Files.isDirectory(dir, NOFOLLOW)) {
      try {
        Files.createDirectory(dir, privateDir);
      } catch (FileAlreadyExistsException raced) {
        // another process made it
      }
    }
    if (Files.isSymbolicLink(dir) || !Files.isDirectory(dir, NOFOLLOW)) {
      throw new IOException("the events directory is not a directory");
    }
  }

  /** Whether the events directory exists: without it there is nothing to take or reconcile. */
  private boolean inUse() {
    return Files.isDirectory(dir, NOFOLLOW);
  }

  private void writeAside(Path target, String text) throws IOException {
    Path tmp = dir.resolve(target.getFileName() + "." + Bytes.base64Url(Bytes.random(random, 9)) + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
        NOFOLLOW), privateFile)) {
      ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
      while (b.hasRemaining()) {
        ch.write(b);
      }
      if (fsync) {
        ch.force(true);
      }
    }
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the filesystem cannot rename atomically", e);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  static String read(Path p) throws IOException {
    return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
  }

  /** Subscribes {@code id} (before its secret is committed); nothing for an empty subscription. */
  void subscribe(String id, Instant expiresAt, Subscription sub) throws IOException {
    if (!sub.isEmpty()) {
      ensureDir();
      writeAside(dir.resolve(Ids.requireValid(id) + SUB), expiresAt.toEpochMilli() + "\n" + sub.encode());
    }
  }

  /** Forgets a subscription whose secret was never committed (its put failed). */
  void forget(String id) throws IOException {
    Files.deleteIfExists(dir.resolve(Ids.requireValid(id) + SUB));
  }

  /** Keeps an upload's subscription until it is finished ({@link #finishing}) or expires. */
  void subscribeUpload(String id, Instant expiresAt, Subscription sub) throws IOException {
    if (!sub.isEmpty()) {
      ensureDir();
      writeAside(dir.resolve(Ids.requireValid(id) + UPLOAD), expiresAt.toEpochMilli() + "\n" + sub.encode());
    }
  }

  /** An upload is about to be committed: its subscription becomes the secret's. True if it had one. */
  boolean finishing(String id) throws IOException {
    try {
      Files.move(dir.resolve(Ids.requireValid(id) + UPLOAD), dir.resolve(id + SUB), StandardCopyOption.ATOMIC_MOVE);
      return true;
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  /** Finishing failed (the upload is still there, the client may finish again): the subscription is the upload's. */
  void unfinishing(String id) throws IOException {
    try {
      Files.move(dir.resolve(Ids.requireValid(id) + SUB), dir.resolve(id + UPLOAD), StandardCopyOption.ATOMIC_MOVE);
    } catch (NoSuchFileException e) {
      // nothing to give back
    }
  }

  /** Records the creation of a subscribed secret, after it was committed. */
  void created(String id) throws IOException {
    Path n = dir.resolve(Ids.requireValid(id) + SUB);
    String text;
    try {
      text = read(n);
    } catch (NoSuchFileException e) {
      return;
    }
    expand(id, EventType.CREATED, text, clock.instant());
  }

  /** Records how {@code id} ended, if it was subscribed and nobody recorded its end yet. */
  void ended(String id, EventType type) throws IOException {
    Path end = dir.resolve(Ids.requireValid(id) + "." + type.code() + END);
    try {
      Files.move(dir.resolve(id + SUB), end, StandardCopyOption.ATOMIC_MOVE);
    } catch (NoSuchFileException e) {
      return; // not subscribed, or its end was recorded already
    }
    finishEnd(end, id, type);
  }

  void finishEnd(Path end, String id, EventType type) throws IOException {
    String text;
    try {
      text = read(end);
    } catch (NoSuchFileException e) {
      return; // another process finished it
    }
    expand(id, type, text, clock.instant());
    Files.deleteIfExists(end);
  }

  /** Writes one delivery per target that wants {@code type}; deliveries already there are kept as they are. */
  private void expand(String id, EventType type, String text, Instant now) throws IOException {
    int nl = text.indexOf('\n');
    long expires = Long.parseLong(text.substring(0, nl));
    Subscription sub = Subscription.decode(text.substring(nl + 1));
    for (NotifyTarget t : sub.targetsFor(type)) {
      String base = id + "." + type.code() + "." + t.name();
      if (exists(base)) {
        continue;
      }
      writeAside(dir.resolve(base + "." + now.toEpochMilli() + WAITING),
          "0 " + now.toEpochMilli() + " " + expires + "\n" + new Subscription(List.of(t)).encode());
    }
  }

  private boolean exists(String base) throws IOException {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, glob(base) + ".*")) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        if (name.endsWith(WAITING) || name.contains(LEASED)) {
          return true;
        }
      }
    }
    return false;
  }

  private static String glob(String s) {
    return s.replace("[", "\\[").replace("*", "\\*").replace("?", "\\?").replace("{", "\\{");
  }

  @Override
  public List<Delivery> take(int max, Duration lease) {
    if (!inUse()) {
      return List.of();
    }
    Secrets s = secrets;
    long nowNanos = System.nanoTime();
    // the repair reads every subscription file: at most every repairEvery, however often deliverers ask
    if (s != null && nowNanos - lastRepair >= repairEveryNanos) {
      lastRepair = nowNanos;
      try {
        new EndRepair(this, dir, clock).run(s);
      } catch (IOException e) {
        throw FileIo.unavailable(e);
      }
    }
    Instant now = clock.instant();
    String holder = Bytes.base64Url(Bytes.random(random, 9)).replace('.', '_');
    long until = now.plus(lease).toEpochMilli();
    List<Delivery> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        if (out.size() >= max) {
          break;
        }
        String name = p.getFileName().toString();
        String[] f = name.split("\\.");
        boolean due;
        String base;
        if (name.endsWith(WAITING) && f.length == 5) {
          due = Long.parseLong(f[3]) <= now.toEpochMilli();
          base = f[0] + "." + f[1] + "." + f[2];
        } else if (name.contains(LEASED) && f.length == 6 && f[3].equals("L")) {
          due = Long.parseLong(f[5]) <= now.toEpochMilli();
          base = f[0] + "." + f[1] + "." + f[2];
        } else {
          continue;
        }
        if (!due) {
          continue;
        }
        Path leased = dir.resolve(base + LEASED + holder + "." + until);
        try {
          Files.move(p, leased, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
          continue; // another taker won
        }
        Delivery d = decode(f[0], EventType.ofCode(f[1].charAt(0)), read(leased), leased.getFileName().toString());
        if (d != null) {
          out.add(d);
        }
      }
    } catch (IOException | RuntimeException e) {
      if (out.isEmpty()) {
        throw FileIo.unavailable(e instanceof IOException io ? io : new IOException(e));
      }
    }
    return out;
  }

  private static @Nullable Delivery decode(String id, EventType type, String text, String lease) {
    int nl = text.indexOf('\n');
    String[] head = text.substring(0, nl).split(" ");
    List<NotifyTarget> targets = Subscription.decode(text.substring(nl + 1)).targets();
    if (targets.size() != 1) {
      return null;
    }
    return new Delivery(id, type, Instant.ofEpochMilli(Long.parseLong(head[1])),
        Instant.ofEpochMilli(Long.parseLong(head[2])), targets.get(0), Integer.parseInt(head[0]), lease);
  }

  private @Nullable Path held(Delivery d) {
    String name = d.lease();
    if (name.contains("/") || !name.startsWith(d.secretId() + ".") || !name.contains(LEASED)) {
      return null;
    }
    return dir.resolve(name);
  }

  @Override
  public void ack(Delivery d) {
    Path p = held(d);
    try {
      if (p != null) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw FileIo.unavailable(e);
    }
  }

  @Override
  public void retry(Delivery d, Instant at) {
    reschedule(d, at, 1);
  }

  @Override
  public void postpone(Delivery d, Instant at) {
    reschedule(d, at, 0);
  }

  private void reschedule(Delivery d, Instant at, int raise) {
    Path p = held(d);
    if (p == null) {
      return;
    }
    Path mine = dir.resolve(p.getFileName() + ".r");
    try {
      try {
        Files.move(p, mine, StandardCopyOption.ATOMIC_MOVE); // still ours only if nobody took it over
      } catch (NoSuchFileException e) {
        return;
      }
      String text = read(mine);
      String[] head = text.substring(0, text.indexOf('\n')).split(" ");
      String base = d.secretId() + "." + d.type().code() + "." + d.target().name();
      writeAside(dir.resolve(base + "." + at.toEpochMilli() + WAITING), (Integer.parseInt(head[0]) + raise) + " "
          + head[1] + " " + head[2] + text.substring(text.indexOf('\n')));
      Files.deleteIfExists(mine);
    } catch (IOException e) {
      throw FileIo.unavailable(e);
    }
  }

  @Override
  public Backlog backlog() {
    if (!inUse()) {
      return Backlog.EMPTY;
    }
    long n = 0;
    Instant oldest = null;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        if (name.endsWith(WAITING) || (name.contains(LEASED) && !name.endsWith(".tmp") && !name.endsWith(".r"))) {
          n++;
          try {
            String text = read(p);
            Instant at = Instant.ofEpochMilli(Long.parseLong(text.substring(0, text.indexOf('\n')).split(" ")[1]));
            if (oldest == null || at.isBefore(oldest)) {
              oldest = at;
            }
          } catch (NoSuchFileException e) {
            n--;
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      throw FileIo.unavailable(e instanceof IOException io ? io : new IOException(e));
    }
    return n == 0 ? Backlog.EMPTY : new Backlog(n, oldest);
  }
}
