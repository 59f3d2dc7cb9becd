package io.onetimeshare.cli;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Where {@code ots open} writes: a part file with a random name, created new (never following a link someone
 * planted, never opening a file that exists) and readable by the owner only, then published under its final name
 * without ever replacing a file it should not.
 */
final class SafeFiles {
  private static final SecureRandom RANDOM = new SecureRandom();

  private SafeFiles() {}

  /** A new, empty, owner-only file in {@code dir} with a random name: {@code .ots-<hex>.part}. */
  static Path createPart(Path dir) throws IOException {
    byte[] r = new byte[12];
    RANDOM.nextBytes(r);
    Path part = dir.resolve(".ots-" + HexFormat.of().formatHex(r) + ".part");
    // CREATE_NEW fails on anything already there, a symbolic link included (O_CREAT|O_EXCL does not follow it)
    if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
      return Files.createFile(part, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    return Files.createFile(part);
  }

  /**
   * Gives {@code part} the sender's {@code name} in {@code dir}, or {@code name (1)}, {@code name (2)}... when that is
   * taken: never replaces anything, whatever {@code --force} says. Returns the final path.
   */
  static Path publishBeside(Path part, Path dir, String name) throws IOException {
    for (int i = 0; i < 1000; i++) {
      Path target = dir.resolve(i == 0 ? name : numbered(name, i)).normalize();
      if (!dir.equals(target.getParent())) { // a sanitised name cannot leave dir; checked all the same
        throw new CliException(Ots.FAILURE, "Refusing to write outside " + dir + ".");
      }
      if (link(part, target)) {
        return target;
      }
    }
    throw new CliException(Ots.FAILURE, "No free name for the file in " + dir + ".");
  }

  /** Gives {@code part} the name {@code target}; replaces an existing file only when {@code replace}. */
  static void publish(Path part, Path target, boolean replace) throws IOException {
    if (replace) {
      if (Files.isSymbolicLink(target) || Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
        throw new CliException(Ots.USAGE, target + " is a link or a directory; not replacing it.");
      }
      Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return;
    }
    if (!link(part, target)) {
      throw new CliException(Ots.USAGE, target + " appeared while the secret was being opened; the content is in "
          + part + ".");
    }
  }

  /**
   * Publishes by a hard link, which fails when the name exists (atomically, unlike a rename, which would replace it),
   * then removes the part's own name. False when the name is taken.
   */
  private static boolean link(Path part, Path target) throws IOException {
    try {
      Files.createLink(target, part);
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (UnsupportedOperationException | FileSystemException e) {
      if (e instanceof FileSystemException && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
        return false;
      }
      try { // no hard links here (some network or FAT file systems): a move that refuses an existing target
        Files.move(part, target);
        return true;
      } catch (FileAlreadyExistsException taken) {
        return false;
      }
    }
    Files.delete(part);
    return true;
  }

  private static String numbered(String name, int i) {
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) + " (" + i + ")" + name.substring(dot) : name + " (" + i + ")";
  }
}
