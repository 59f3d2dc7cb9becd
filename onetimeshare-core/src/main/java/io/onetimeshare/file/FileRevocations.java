package io.onetimeshare.file;

import io.onetimeshare.StoreUnavailableException;
import io.onetimeshare.spi.Revocations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * Revocations beside the file vault's secrets ({@code <data-dir>/.revoked}, 0700): one file per id holding when its
 * revocation runs out, written whole (a temporary file moved into place) so every process sharing the directory sees
 * it at once. Run-out files are removed as later revocations are written, so the directory holds about as many files
 * as sign-outs within one session lifetime.
 *
 * @since 0.3
 */
public final class FileRevocations implements Revocations {
  private final Path dir;
  private final Clock clock;

  private FileRevocations(Path dir, Clock clock) {
    this.dir = dir;
    this.clock = clock;
    try {
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectories(dir);
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
          Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
      }
    } catch (IOException e) {
      throw new StoreUnavailableException("Cannot create the revocations directory.", e);
    }
  }

  /** The revocations of the file vault whose data directory is {@code dataDir}. */
  public static FileRevocations in(Path dataDir) {
    return in(dataDir, Clock.systemUTC());
  }

  public static FileRevocations in(Path dataDir, Clock clock) {
    return new FileRevocations(Objects.requireNonNull(dataDir, "dataDir").resolve(".revoked"), clock);
  }

  @Override
  public void revoke(String id, Instant until) {
    Path f = dir.resolve(Revocations.checkId(id));
    try {
      Path tmp = Files.createTempFile(dir, ".new-", ".tmp");
      try {
        Files.writeString(tmp, Long.toString(until.toEpochMilli()), StandardCharsets.US_ASCII);
        Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(tmp);
      }
      sweep();
    } catch (IOException e) {
      throw new StoreUnavailableException("Cannot record a revocation.", e);
    }
  }

  @Override
  public boolean isRevoked(String id) {
    Path f = dir.resolve(Revocations.checkId(id));
    try {
      return Long.parseLong(Files.readString(f, StandardCharsets.US_ASCII).trim()) > clock.millis();
    } catch (NoSuchFileException e) {
      return false;
    } catch (NumberFormatException e) {
      return true; // a file being written is a revocation all the same
    } catch (IOException e) {
      throw new StoreUnavailableException("Cannot read the revocations.", e);
    }
  }

  /** Removes revocations that ran out (best effort: another process may remove one first). */
  private void sweep() throws IOException {
    long now = clock.millis();
    try (DirectoryStream<Path> all = Files.newDirectoryStream(dir)) {
      for (Path p : all) {
        String name = String.valueOf(p.getFileName());
        if (name.startsWith(".")) {
          continue;
        }
        try {
          if (Long.parseLong(Files.readString(p, StandardCharsets.US_ASCII).trim()) <= now) {
            Files.deleteIfExists(p);
          }
        } catch (NoSuchFileException | NumberFormatException e) {
          // gone, or being written
        }
      }
    }
  }
}
