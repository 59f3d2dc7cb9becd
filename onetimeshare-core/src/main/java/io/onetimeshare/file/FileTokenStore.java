package io.onetimeshare.file;

import io.onetimeshare.InvalidArgumentException;
import io.onetimeshare.StoreUnavailableException;
import io.onetimeshare.spi.TokenRecord;
import io.onetimeshare.spi.TokenStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * API tokens in a directory beside the file vault's secrets ({@code <data-dir>/.tokens}, 0700): one file per token
 * named by its hash ({@code <hash>.token}: name, creation and expiry; its modification time is the last use) and one
 * per name ({@code names/<name>}, holding the hash), created with {@code CREATE_NEW} so a name is taken atomically even
 * by two processes at once. A revocation deletes both, so every process sharing the directory refuses the token at
 * once. Only hashes are written.
 *
 * @since 0.3
 */
public final class FileTokenStore implements TokenStore {
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
  private static final FileAttribute<?> PRIVATE_FILE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
  private static final String SUFFIX = ".token";
  private final Path dir;
  private final Path names;
  private final boolean posix;

  private FileTokenStore(Path dir) {
    this.dir = dir;
    this.names = dir.resolve("names");
    this.posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    try {
      for (Path d : List.of(dir, names)) {
        if (!Files.isDirectory(d, NOFOLLOW)) {
          Files.createDirectories(d);
          if (posix) {
            Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwx------"));
          }
        }
      }
    } catch (IOException e) {
      throw new StoreUnavailableException("Cannot create the token directory.", e);
    }
  }

  /** The token store of the file vault whose data directory is {@code dataDir}. */
  public static FileTokenStore in(Path dataDir) {
    return new FileTokenStore(Objects.requireNonNull(dataDir, "dataDir").resolve(".tokens"));
  }

  private Path file(String hash) {
    if (!hash.matches("[A-Za-z0-9_-]{43}")) {
      throw new InvalidArgumentException("not a token hash");
    }
    return dir.resolve(hash + SUFFIX);
  }

  @Override
  public boolean add(TokenRecord token) {
    Objects.requireNonNull(token, "token");
    Path name = names.resolve(token.name());
    try {
      Files.write(name, token.hash().getBytes(StandardCharsets.US_ASCII), StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE, NOFOLLOW);
      if (posix) {
        Files.setPosixFilePermissions(name, PosixFilePermissions.fromString("rw-------"));
      }
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      throw new StoreUnavailableException("Cannot write the token directory.", e);
    }
    String body = token.name() + "\n" + token.createdAt().toEpochMilli() + "\n" + token.expiresAt().toEpochMilli()
        + "\n";
    Path target = file(token.hash());
    Path tmp = dir.resolve(token.hash() + ".tmp");
    try {
      Files.deleteIfExists(tmp);
      Files.write(Files.createFile(tmp, PRIVATE_FILE), body.getBytes(StandardCharsets.UTF_8));
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      Files.setLastModifiedTime(target, FileTime.fromMillis(0)); // never used
      return true;
    } catch (IOException e) {
      try {
        Files.deleteIfExists(name); // nothing half-written: the name is free again
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // the name file stays; revoke removes it
      }
      throw new StoreUnavailableException("Cannot write the token directory.", e);
    }
  }

  @Override
  public Optional<TokenRecord> find(String hash) {
    Path f = file(Objects.requireNonNull(hash, "hash"));
    try {
      List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
      long used = Files.getLastModifiedTime(f, NOFOLLOW).toMillis();
      if (lines.size() < 3) {
        return Optional.empty();
      }
      return Optional.of(new TokenRecord(lines.get(0), hash, Instant.ofEpochMilli(Long.parseLong(lines.get(1))),
          Instant.ofEpochMilli(Long.parseLong(lines.get(2))), used == 0 ? null : Instant.ofEpochMilli(used)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new StoreUnavailableException("Cannot read the token directory.", e);
    } catch (RuntimeException e) {
      return Optional.empty(); // a damaged file is no token
    }
  }

  @Override
  public List<TokenRecord> list() {
    List<TokenRecord> out = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      for (Path p : files) {
        String n = p.getFileName().toString();
        find(n.substring(0, n.length() - SUFFIX.length())).ifPresent(out::add);
      }
    } catch (IOException e) {
      throw new StoreUnavailableException("Cannot read the token directory.", e);
    }
    out.sort(Comparator.comparing(TokenRecord::name));
    return out;
  }

  @Override
  public boolean revoke(String name) {
    if (!TokenRecord.NAME.matcher(Objects.requireNonNull(name, "name")).matches()) {
      return false;
    }
    Path n = names.resolve(name);
    try {
      String hash = new String(Files.readAllBytes(n), StandardCharsets.US_ASCII).strip();
      Files.deleteIfExists(file(hash)); // first the token: from here on it is refused everywhere
      Files.deleteIfExists(n);
      return true;
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException e) {
      throw new StoreUnavailableException("Cannot write the token directory.", e);
    }
  }

  @Override
  public void touch(String hash, Instant when) {
    try {
      Files.setLastModifiedTime(file(hash), FileTime.from(when));
    } catch (NoSuchFileException e) {
      // revoked meanwhile
    } catch (IOException e) {
      throw new StoreUnavailableException("Cannot write the token directory.", e);
    }
  }
}
