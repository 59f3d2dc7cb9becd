package io.onetimeshare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.onetimeshare.file.FileSecretVault;
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
public class LargeStreamTest {
  static final long SIZE = Long.getLong("ots.largeStreamBytes", 1L << 30);

  @TempDir
  Path dir;

  @Test
  void oneGibibyteThroughA64MebibyteHeap() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(List.of(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
        LargeStreamTest.class.getName(), dir.toString(), Long.toString(SIZE)))
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.PIPE).start();
    String out;
    try (InputStream in = p.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertTrue(p.waitFor(10, TimeUnit.MINUTES), "child JVM timed out");
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("OK " + SIZE), out);
    assertEquals(0, new File(dir.toString()).list().length, "nothing left in the vault directory");
  }

  /** A deterministic, cheap byte source (xorshift): test data only, never keys. */
  static final class Generated extends InputStream {
    private long left;
    private long x = 0x9E3779B97F4A7C15L;
    final MessageDigest digest;

    Generated(long size) throws Exception {
      this.left = size;
      this.digest = MessageDigest.getInstance("SHA-256");
    }

    @Override
    public int read() {
      byte[] b = new byte[1];
      return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (left == 0) {
        return -1;
      }
      int n = (int) Math.min(len, left);
      for (int i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
        b[off + i] = (byte) x;
      }
      digest.update(b, off, n);
      left -= n;
      return n;
    }
  }

  public static void main(String[] args) throws Exception {
    long size = Long.parseLong(args[1]);
    try (OneTimeShare ots = OneTimeShare.builder()
        .vault(FileSecretVault.builder(Path.of(args[0])).sweepInterval(Duration.ZERO).build())
        .maxContentBytes(size).build()) {
      Generated src = new Generated(size);
      ShareReceipt r = ots.share(src, ShareOptions.builder().filename("big.bin").build());
      byte[] sent = src.digest.digest();
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
