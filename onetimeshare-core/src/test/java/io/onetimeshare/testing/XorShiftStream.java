package io.onetimeshare.testing;

import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A cheap, deterministic stream of test bytes (xorshift64), SHA-256-hashed as it is read, for tests that move
 * gigabytes without holding them. Test data only, never keys.
 */
public final class XorShiftStream extends InputStream {
  private long left;
  private long x = 0x9E3779B97F4A7C15L;
  private final MessageDigest digest;

  public XorShiftStream(long size) {
    this.left = size;
    try {
      this.digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** SHA-256 of everything read so far (call once, at the end). */
  public byte[] digest() {
    return digest.digest();
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
