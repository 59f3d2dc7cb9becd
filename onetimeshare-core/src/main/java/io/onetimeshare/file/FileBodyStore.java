package io.onetimeshare.file;

import io.onetimeshare.spi.BodyStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Bodies in a directory (0700): each key a file under it (its {@code /} separated parts as directories), written to
 * a temporary file and moved into place, so a body is whole or absent; writes in parts under {@code .parts/<id>/}.
 * Shared by every process that mounts the directory.
 *
 * @since 0.3
 */
public final class FileBodyStore implements BodyStore {
  private final Path dir;
  private final Path parts;
  private final boolean posix;

  private FileBodyStore(Path dir) throws IOException {
    this.dir = dir;
    this.parts = dir.resolve(".parts");
    this.posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    for (Path d : List.of(dir, parts)) {
      if (!Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectories(d);
        if (posix) {
          Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwx------"));
        }
      }
    }
  }

  /** The bodies under {@code dir}, created 0700 when absent. */
  public static FileBodyStore in(Path dir) throws IOException {
    return new FileBodyStore(Objects.requireNonNull(dir, "dir"));
  }

  private Path file(String key) {
    return dir.resolve(BodyStore.checkKey(key));
  }

  private Path temp(Path near) throws IOException {
    Files.createDirectories(near.getParent());
    return Files.createTempFile(near.getParent(), ".new-", ".tmp");
  }

  @Override
  public void write(String key, InputStream body) throws IOException {
    Path f = file(key);
    Path tmp = temp(f);
    try {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        body.transferTo(out);
      }
      Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  @Override
  public Optional<Body> read(String key) throws IOException {
    Path f = file(key);
    try {
      InputStream in = Files.newInputStream(f, LinkOption.NOFOLLOW_LINKS);
      return Optional.of(new Body(in, Files.size(f)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public void delete(String key) throws IOException {
    Files.deleteIfExists(file(key));
  }

  @Override
  public List<String> keysBefore(String bound, int max) throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> all = Files.walk(dir)) {
      all.filter(p -> !p.startsWith(parts) && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
              && !p.getFileName().toString().startsWith("."))
          .map(p -> dir.relativize(p).toString().replace(java.io.File.separatorChar, '/'))
          .filter(k -> k.compareTo(bound) < 0).sorted().limit(max).forEach(out::add);
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
    return out;
  }

  private Path write(String writeId) {
    if (!writeId.matches("[0-9a-f-]{36}")) {
      throw new IllegalArgumentException("not a write id");
    }
    return parts.resolve(writeId);
  }

  @Override
  public String beginParts(String key) throws IOException {
    String id = UUID.randomUUID().toString();
    Path w = Files.createDirectory(write(id));
    Files.writeString(w.resolve("key"), BodyStore.checkKey(key), StandardCharsets.US_ASCII);
    return id;
  }

  private Path open(String key, String writeId) throws IOException {
    Path w = write(writeId);
    try {
      if (!Files.readString(w.resolve("key"), StandardCharsets.US_ASCII).equals(key)) {
        throw new IOException("no such write in parts");
      }
    } catch (NoSuchFileException e) {
      throw new IOException("no such write in parts", e);
    }
    return w;
  }

  @Override
  public String writePart(String key, String writeId, int number, byte[] data) throws IOException {
    if (number < 1 || number > 10_000) {
      throw new IllegalArgumentException("a part number is 1 to 10,000");
    }
    Path p = open(key, writeId).resolve(Integer.toString(number));
    Path tmp = temp(p);
    try {
      Files.write(tmp, data);
      Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
    return Integer.toString(number);
  }

  @Override
  public void completeParts(String key, String writeId, List<String> partIds) throws IOException {
    Path w = open(key, writeId);
    Path f = file(key);
    Path tmp = temp(f);
    try {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        for (String p : partIds) {
          try {
            Files.copy(w.resolve(Integer.toString(Integer.parseInt(p))), out);
          } catch (NoSuchFileException e) {
            throw new IOException("part " + p + " was not written", e);
          }
        }
      }
      Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
    deleteTree(w);
  }

  @Override
  public void abortParts(String key, String writeId) throws IOException {
    try {
      deleteTree(open(key, writeId));
    } catch (IOException e) {
      // none: nothing to drop
    }
  }

  private static void deleteTree(Path w) throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(w)) {
      for (Path f : files) {
        Files.deleteIfExists(f);
      }
    } catch (NoSuchFileException e) {
      return;
    }
    Files.deleteIfExists(w);
  }

  @Override
  public List<Unfinished> unfinished(int max) throws IOException {
    List<Unfinished> out = new ArrayList<>();
    try (DirectoryStream<Path> writes = Files.newDirectoryStream(parts)) {
      for (Path w : writes) {
        try {
          String key = Files.readString(w.resolve("key"), StandardCharsets.US_ASCII);
          out.add(new Unfinished(key, w.getFileName().toString(), Files.readAttributes(w,
              BasicFileAttributes.class).creationTime().toInstant()));
        } catch (NoSuchFileException e) {
          // completed or aborted meanwhile
        }
      }
    }
    out.sort(java.util.Comparator.comparing(u -> u.started() == null ? java.time.Instant.EPOCH : u.started()));
    return out.subList(0, Math.min(max, out.size()));
  }

  @Override
  public int minPartSize() {
    return 1;
  }
}
