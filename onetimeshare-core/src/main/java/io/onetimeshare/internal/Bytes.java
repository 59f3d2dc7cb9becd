package io.onetimeshare.internal;

import io.onetimeshare.InvalidArgumentException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/** Small byte helpers: base64url, constant-time comparison, hashing, random bytes, wiping. */
public final class Bytes {
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();

  private Bytes() {}

  public static String base64Url(byte[] b) {
    return B64.encodeToString(b);
  }

  /** Decodes unpadded base64url; throws {@link InvalidArgumentException} naming {@code what} (never the value). */
  public static byte[] fromBase64Url(String s, String what) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!isBase64UrlChar(c)) {
        throw new InvalidArgumentException("The " + what + " is not valid base64url text.");
      }
    }
    try {
      return B64D.decode(s);
    } catch (IllegalArgumentException e) {
      throw new InvalidArgumentException("The " + what + " is not valid base64url text.");
    }
  }

  static boolean isBase64UrlChar(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  }

  /** Constant-time equality (for equal lengths; the length itself is not secret). */
  public static boolean constantTimeEquals(byte[] a, byte[] b) {
    return MessageDigest.isEqual(a, b);
  }

  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  });

  public static byte[] sha256(byte[] in) {
    return SHA256.get().digest(in);
  }

  public static byte[] random(SecureRandom random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  public static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  public static void wipe(byte @org.jspecify.annotations.Nullable [] b) {
    if (b != null) {
      Arrays.fill(b, (byte) 0);
    }
  }
}
