package io.onetimeshare.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.onetimeshare.InvalidArgumentException;
import io.onetimeshare.spi.SecretRecord;
import io.onetimeshare.spi.SecretVault;
import io.onetimeshare.testing.MutableClock;
import io.onetimeshare.testing.SecretVaultContract;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSecretVaultTest extends SecretVaultContract {
  @TempDir
  Path dir;

  @Override
  protected SecretVault createVault(MutableClock clock) {
    return FileSecretVault.builder(dir).clock(clock).sweepInterval(Duration.ZERO).build();
  }

  /** A second vault on the same directory stands in for a second process. */
  @Override
  protected SecretVault createPeer(MutableClock clock) {
    return FileSecretVault.builder(dir).clock(clock).sweepInterval(Duration.ZERO).build();
  }

  private long files() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      // not the instance lock files, nor the receipts' traces
      return s.filter(p -> !p.getFileName().toString().startsWith(".") && !p.toString().endsWith(".trace")).count();
    }
  }

  /**
   * Issue 36, finding 12: an upload is committed with a link, not a replacing rename, so a commit under an id that
   * already holds a secret is refused and that secret is left exactly as it was.
   */
  @Test
  void aCommitNeverReplacesASecretAlreadyThere() throws Exception {
    String id = newId();
    vault.beginUpload(new io.onetimeshare.spi.PendingUpload(id, clock.instant().plus(Duration.ofHours(1)),
        new byte[32], 5, 1024));
    vault.appendSegment(id, 0, new byte[100]);
    byte[] first = body(3000);
    vault.put(record(id, Duration.ofHours(1), 5), out -> out.write(first)); // a secret appears under the same id
    org.junit.jupiter.api.Assertions.assertThrows(io.onetimeshare.UploadConflictException.class,
        () -> vault.finishUpload(id, new byte[57]));
    try (SecretVault.ClaimedSecret c = vault.claim(id).orElseThrow(); InputStream in = c.body()) {
      assertArrayEquals(first, in.readAllBytes(), "the secret that was there is untouched");
    }
  }

  @Test
  void secretsSurviveARestart() throws Exception {
    String id = newId();
    byte[] body = body(70_000);
    SecretRecord rec = record(id, Duration.ofHours(1), 5);
    vault.put(rec, out -> out.write(body));
    vault.reserveAttempt(id);
    vault.close();
    SecretVault reopened = createVault(clock);
    assertEquals(4, reopened.peek(id).orElseThrow().attemptsLeft());
    try (SecretVault.ClaimedSecret c = reopened.claim(id).orElseThrow(); InputStream in = c.body()) {
      assertArrayEquals(body, in.readAllBytes());
    }
    reopened.close();
  }

  @Test
  void claimLeavesNoFileBehind() throws Exception {
    String id = newId();
    vault.put(record(id, Duration.ofHours(1), 5), out -> out.write(body(10)));
    assertEquals(1, files());
    SecretVault.ClaimedSecret c = vault.claim(id).orElseThrow();
    assertEquals(0, files(), "the claimed file is unlinked at once; the body streams from the open handle");
    c.body().readAllBytes();
    c.close();
  }

  @Test
  void abortedWriteLeavesNoTempFile() throws Exception {
    String id = newId();
    assertThrows(IOException.class, () -> vault.put(record(id, Duration.ofHours(1), 5), out -> {
      out.write(body(200_000));
      throw new IOException("cut off");
    }));
    assertEquals(0, files());
  }

  @Test
  void sweepReclaimsExpiredAndStaleLeftovers() throws Exception {
    FileSecretVault v = (FileSecretVault) vault;
    String keep = newId();
    v.put(record(keep, Duration.ofHours(1), 5), out -> out.write(body(10)));
    for (int i = 0; i < 3; i++) {
      v.put(record(newId(), Duration.ofMinutes(1), 5), out -> out.write(body(10)));
    }
    Path crashTmp = dir.resolve(newId() + ".abc.tmp");
    Files.write(crashTmp, new byte[100]);
    Files.setLastModifiedTime(crashTmp, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
    Path freshTmp = dir.resolve(newId() + ".def.tmp");
    Files.write(freshTmp, new byte[100]);
    clock.advance(Duration.ofMinutes(2));
    assertEquals(3, v.sweep());
    assertFalse(Files.exists(crashTmp));
    assertTrue(Files.exists(freshTmp), "an upload in progress elsewhere is not touched");
    assertTrue(v.peek(keep).isPresent());
    assertEquals(2, files());
    try (Stream<Path> traces = Files.list(dir)) {
      assertEquals(4, traces.filter(p -> p.toString().endsWith(".trace")).count(), "traces stay for the receipts");
    }
    clock.advance(io.onetimeshare.spi.SecretTrace.RETENTION);
    v.sweep();
    try (Stream<Path> traces = Files.list(dir)) {
      assertEquals(1, traces.filter(p -> p.toString().endsWith(".trace")).count(), "only the unexpired one's is left");
    }
  }

  @Test
  void tempFilesOfADeadProcessGoAtStartupThoseOfALiveOneStay() throws Exception {
    Path dead = dir.resolve(newId() + ".deadInst.abc.tmp"); // its owner's lock file is gone: the process died
    Files.write(dead, new byte[100]);
    SecretVault other = createPeer(clock); // a live instance, e.g. another process on the same directory
    String id = newId();
    Path live = null;
    try (Stream<Path> s = Files.list(dir)) {
      String lock = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".lock")).findFirst().orElseThrow();
      live = dir.resolve(id + "." + lock.substring(1, lock.length() - 5) + ".xyz.tmp");
    }
    Files.write(live, new byte[100]);
    SecretVault restarted = createVault(clock);
    assertFalse(Files.exists(dead), "left by a dead process: removed at once");
    assertTrue(Files.exists(live), "belongs to a live instance: kept");
    restarted.close();
    other.close();
  }

  @Test
  void idsCannotEscapeTheDirectory() {
    for (String bad : new String[] {"../../etc/passwd", "..", "a/b", "", "x".repeat(23), "aaaaaaaaaaaaaaaaaaaa/."}) {
      assertThrows(InvalidArgumentException.class, () -> vault.peek(bad), bad);
      assertThrows(InvalidArgumentException.class, () -> vault.claim(bad), bad);
    }
  }

  // ---- the directory and its files are private; links are never followed (issue 9, finding 7) ----

  private static String perms(Path p) throws IOException {
    return java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(p, java.nio.file.LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void directoryAndFilesAreOwnerOnlyWhateverTheDefaults() throws Exception {
    Path fresh = dir.resolve("fresh/nested");
    SecretVault v = FileSecretVault.builder(fresh).clock(clock).sweepInterval(Duration.ZERO).build();
    String id = newId();
    v.put(record(id, Duration.ofHours(1), 5), out -> out.write(body(10)));
    assertEquals("rwx------", perms(fresh));
    assertEquals("rw-------", perms(fresh.resolve(id + ".ots")));
    // every file the vault creates: secrets, traces, uploads and their segments, its lock file (issue 19, #15)
    String gone = newId();
    v.put(record(gone, Duration.ofHours(1), 5), out -> out.write(body(10)));
    v.delete(gone);
    String up = newId();
    v.beginUpload(new io.onetimeshare.spi.PendingUpload(up, clock.instant().plus(Duration.ofHours(1)), new byte[32], 5,
        1024));
    v.appendSegment(up, 0, new byte[1040]);
    java.util.List<String> wrong = new java.util.ArrayList<>();
    int files = 0;
    try (var all = Files.walk(fresh)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          files++;
          if (!perms(p).equals("rw-------")) {
            wrong.add(fresh.relativize(p) + " " + perms(p));
          } 
        } else if (Files.isDirectory(p) && !perms(p).equals("rwx------")) {
          wrong.add(fresh.relativize(p) + "/ " + perms(p));
        }
      }
    }
    assertTrue(files >= 4, "secret, trace, upload and lock file: " + files);
    assertEquals(java.util.List.of(), wrong);
    v.close();
  }

  @Test
  void refusesADirectoryOthersCanWrite() throws Exception {
    Path shared = Files.createDirectory(dir.resolve("shared"));
    Files.setPosixFilePermissions(shared, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> FileSecretVault.builder(shared).build());
    assertTrue(e.getMessage().contains("writable by other users"), e.getMessage());
  }

  @Test
  void plantedLinksAreNeverFollowed() throws Exception {
    // a valid secret elsewhere, and a link to it planted under another id's name
    Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
    Files.setPosixFilePermissions(elsewhere, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    SecretVault other = FileSecretVault.builder(elsewhere).clock(clock).sweepInterval(Duration.ZERO).build();
    String id = newId();
    other.put(record(id, Duration.ofHours(1), 5), out -> out.write(body(10)));
    other.close();
    Path target = elsewhere.resolve(id + ".ots");
    byte[] before = Files.readAllBytes(target);
    Files.createSymbolicLink(dir.resolve(id + ".ots"), target);

    assertTrue(vault.peek(id).isEmpty(), "a link is not a secret");
    assertTrue(vault.reserveAttempt(id).isEmpty());
    assertTrue(vault.claim(id).isEmpty());
    assertArrayEquals(before, Files.readAllBytes(target), "nothing was written through the link");
  }
}
