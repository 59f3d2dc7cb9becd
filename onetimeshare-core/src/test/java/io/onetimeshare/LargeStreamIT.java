package io.onetimeshare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.onetimeshare.file.FileSecretVault;
import io.onetimeshare.testing.XorShiftStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shares and opens a 1 GiB stream through the filesystem vault in a child JVM with a 64 MiB heap: it can only pass
 * if neither side ever holds the whole content.
 */
public class LargeStreamIT {
  static final long SIZE = Long.getLong("ots.largeStreamBytes", 1L << 30);

  @TempDir
  Path dir;

  @Test
  void oneGibibyteThroughA64MebibyteHeap() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(List.of(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
        LargeStreamIT.class.getName(), dir.toString(), Long.toString(SIZE)))
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.PIPE).start();
    String out;
    try (InputStream in = p.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertTrue(p.waitFor(10, TimeUnit.MINUTES), "child JVM timed out");
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("OK " + SIZE), out);
    String[] left = new File(dir.toString()).list();
    assertEquals(1, left.length, "nothing left in the vault directory but the receipt's trace");
    assertTrue(left[0].endsWith(".trace") && new File(dir.toString(), left[0]).length() == 54, left[0]);
  }

  public static void main(String[] args) throws Exception {
    long size = Long.parseLong(args[1]);
    try (OneTimeShare ots = OneTimeShare.builder()
        .vault(FileSecretVault.builder(Path.of(args[0])).sweepInterval(Duration.ZERO).build())
        .maxContentBytes(size).build()) {
      XorShiftStream src = new XorShiftStream(size);
      ShareReceipt r = ots.share(src, ShareOptions.builder().filename("big.bin").build());
      byte[] sent = src.digest();
      MessageDigest got = MessageDigest.getInstance("SHA-256");
      long n = 0;
      try (OpenedStream s = ots.openStream(r.id(), Credential.key(r.key()))) {
        byte[] buf = new byte[64 * 1024];
        int k;
        while ((k = s.content().read(buf)) >= 0) {
          got.update(buf, 0, k);
          n += k;
        }
      }
      if (n != size || !MessageDigest.isEqual(sent, got.digest())) {
        throw new IOException("mismatch: " + n + " bytes, digest " + HexFormat.of().formatHex(got.digest()));
      }
      System.out.println("OK " + n + " maxHeap=" + Runtime.getRuntime().maxMemory());
    }
  }
}
