package io.onetimeshare.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BackgroundWriterTest {
  @TempDir
  Path dir;

  /** 3.5 MiB and change: three hand-overs and an unaligned remainder, written in sizes that never line up. */
  private static byte[] writeRandomly(BackgroundWriter w, int size) throws IOException {
    byte[] data = new byte[size];
    new Random(7).nextBytes(data);
    Random sizes = new Random(11);
    int at = 0;
    while (at < data.length) {
      int n = Math.min(data.length - at, 1 + sizes.nextInt(300_000));
      if (n == 1) {
        w.write(data[at]);
      } else {
        w.write(data, at, n);
      }
      at += n;
    }
    return data;
  }

  @ParameterizedTest(name = "direct={0}")
  @ValueSource(booleans = {true, false})
  void everyByteArrivesInOrderWhateverTheWriteSizes(boolean direct) throws IOException {
    Path file = Files.createFile(dir.resolve("out.part"));
    byte[] data;
    BackgroundWriter w = new BackgroundWriter(file, direct);
    try (w) {
      data = writeRandomly(w, (7 << 20) / 2 + 12_345);
    }
    assertArrayEquals(data, Files.readAllBytes(file));
    if (!direct) {
      assertFalse(w.wroteDirect(), "asked for the page cache only");
    }
  }

  @Test
  void onADiskFileSystemTheFullBuffersGoPastThePageCache() throws IOException {
    String type = Files.getFileStore(dir).type();
    assumeTrue(Set.of("ext4", "xfs", "btrfs", "ext3").contains(type), "O_DIRECT expected on " + type + "?");
    Path file = Files.createFile(dir.resolve("out.part"));
    BackgroundWriter w = new BackgroundWriter(file);
    byte[] data;
    try (w) {
      data = writeRandomly(w, 2 * BackgroundWriter.BUFFER + 1);
    }
    assertTrue(w.wroteDirect(), "the full buffers were written with O_DIRECT on " + type);
    assertArrayEquals(data, Files.readAllBytes(file));
  }

  @Test
  void onTmpfsTheBytesArriveWhicheverPathTheKernelAllows() throws IOException {
    // older kernels refuse O_DIRECT on tmpfs (EINVAL), newer ones take it (this VM's 6.18 did): either way the file is whole
    Path shm = Path.of("/dev/shm");
    assumeTrue(Files.isDirectory(shm) && Files.isWritable(shm) && "tmpfs".equals(Files.getFileStore(shm).type()),
        "needs a writable tmpfs at /dev/shm");
    Path tmp = Files.createTempDirectory(shm, "ots-writer-");
    try {
      Path file = Files.createFile(tmp.resolve("out.part"));
      BackgroundWriter w = new BackgroundWriter(file);
      byte[] data;
      try (w) {
        data = writeRandomly(w, 3 * BackgroundWriter.BUFFER + 777);
      }
      assertArrayEquals(data, Files.readAllBytes(file), "direct: " + w.wroteDirect());
    } finally {
      try (var files = Files.list(tmp)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          Files.delete(f);
        }
      }
      Files.delete(tmp);
    }
  }

  @Test
  void aFileSmallerThanOneBufferIsWrittenWhole() throws IOException {
    Path file = Files.createFile(dir.resolve("small.part"));
    BackgroundWriter w = new BackgroundWriter(file);
    try (w) {
      w.write(new byte[] {1, 2, 3}, 0, 3);
    }
    assertFalse(w.wroteDirect());
    assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(file));
  }

  @Test
  void aFailedWriteReachesTheCaller() {
    Path full = Path.of("/dev/full"); // every write fails with ENOSPC, direct or through the page cache
    assumeTrue(Files.isWritable(full), "needs /dev/full");
    IOException e = assertThrows(IOException.class, () -> {
      try (BackgroundWriter w = new BackgroundWriter(full)) {
        byte[] chunk = new byte[256 * 1024];
        for (int i = 0; i < 32; i++) { // 8 MiB: the first hand-over's failure surfaces at a later one or at close
          w.write(chunk, 0, chunk.length);
        }
      }
    });
    assertEquals("No space left on device", e.getMessage());
  }
}
