package io.onetimeshare.file;

import static io.onetimeshare.file.FileIo.unavailable;

import io.onetimeshare.internal.Ids;
import io.onetimeshare.spi.SecretRecord;
import io.onetimeshare.spi.ShareEvents;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The file vault's sweeping part: reclaims expired secrets, traces and uploads, and the leftovers of crashed
 * processes (temp files whose writer's lock is gone, stale claimed files, dead instances' lock files).
 */
final class Sweeping {
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
  private static final String SUFFIX = FileSecretVault.SUFFIX;
  private static final String TMP = FileSecretVault.TMP;
  private static final String LOCK = FileSecretVault.LOCK;
  private static final String CLAIMED = FileSecretVault.CLAIMED;

  /** Reads a secret's record from its file. */
  @FunctionalInterface
  interface Records {
    SecretRecord read(String id, DataInputStream in) throws IOException;
  }

  /** Removes a committed file atomically with respect to claims; false when it was gone already. */
  @FunctionalInterface
  interface Destroyer {
    boolean destroy(Path p) throws IOException;
  }

  private final Path dir;
  private final Clock clock;
  private final ShareEvents events;
  private final Duration staleAfter;
  private final String instance;
  private final TraceFiles traces;
  private final UploadFiles uploads;
  private final Records records;
  private final Destroyer destroyer;

  Sweeping(Path dir, Clock clock, ShareEvents events, Duration staleAfter, String instance, TraceFiles traces,
      UploadFiles uploads, Records records, Destroyer destroyer) {
    this.dir = dir;
    this.clock = clock;
    this.events = events;
    this.staleAfter = staleAfter;
    this.instance = instance;
    this.traces = traces;
    this.uploads = uploads;
    this.records = records;
    this.destroyer = destroyer;
  }

  /**
   * Deletes expired secrets, and temp and claimed files left by a crash (older than the stale age). Returns how many
   * expired secrets were reclaimed.
   */
  int sweep() {
    int reclaimed = 0;
    Instant now = clock.instant();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        try {
          if (name.endsWith(SUFFIX) && name.length() == Ids.LENGTH + SUFFIX.length()) {
            String id = name.substring(0, Ids.LENGTH);
            if (!Ids.isValid(id)) {
              continue;
            }
            SecretRecord r;
            try (InputStream in = Files.newInputStream(p, NOFOLLOW)) {
              r = records.read(id, new DataInputStream(in));
            } catch (IOException | RuntimeException e) {
              continue; // unreadable: leave it for an operator rather than guess
            }
            if (r.isExpiredAt(now) && destroyer.destroy(p)) {
              reclaimed++;
            }
          } else if (name.endsWith(TraceFiles.SUFFIX) && name.length() == Ids.LENGTH + TraceFiles.SUFFIX.length()) {
            String id = name.substring(0, Ids.LENGTH);
            if (Ids.isValid(id)) {
              traces.sweep(p, id, now);
            }
          } else if (name.endsWith(UploadFiles.SUFFIX) && name.length() == Ids.LENGTH + UploadFiles.SUFFIX.length()) {
            String id = name.substring(0, Ids.LENGTH);
            if (Ids.isValid(id)) {
              uploads.sweep(p, id, now);
            }
          } else if (name.endsWith(TMP) && ownerIsGone(name)) {
            Files.deleteIfExists(p); // written by a process that died: never completed, never visible
          } else if (name.endsWith(TMP) || name.endsWith(CLAIMED)) {
            Instant modified = Files.getLastModifiedTime(p).toInstant();
            if (modified.plus(staleAfter).isBefore(Instant.now())) {
              Files.deleteIfExists(p);
            }
          } else if (name.startsWith(".") && name.endsWith(LOCK) && ownerIsGone(name.substring(1))) {
            Files.deleteIfExists(p);
          }
        } catch (NoSuchFileException e) {
          // raced with a claim or another sweeper
        }
      }
    } catch (IOException e) {
      throw unavailable(e);
    }
    if (reclaimed > 0) {
      try {
        events.expired(reclaimed);
      } catch (RuntimeException ignored) {
        // a listener must not break the sweep
      }
    }
    return reclaimed;
  }

  /**
   * Whether the vault instance named in a temp-file name ({@code <id>.<instance>.<random>.tmp}) or lock-file name is
   * gone: its lock file is missing or can be locked, which the OS allows only once the owner has died.
   */
  private boolean ownerIsGone(String name) {
    String[] parts = name.split("\\.");
    String owner = name.endsWith(LOCK) ? parts[0] : parts.length >= 4 ? parts[1] : null;
    if (owner == null) {
      return false; // an old-style name: left to the age rule
    }
    if (owner.equals(instance)) {
      return false;
    }
    Path lock = dir.resolve("." + owner + LOCK);
    try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.WRITE)) {
      FileLock l = ch.tryLock();
      if (l == null) {
        return false;
      }
      l.release();
      return true;
    } catch (NoSuchFileException e) {
      return true;
    } catch (java.nio.channels.OverlappingFileLockException e) {
      return false; // held by another vault instance in this same JVM
    } catch (IOException e) {
      return false;
    }
  }
}
