package io.onetimeshare.internal;

import io.onetimeshare.InvalidArgumentException;
import java.security.SecureRandom;

/** Secret ids: 16 random bytes from {@link SecureRandom}, as 22 base64url characters. */
public final class Ids {
  /** Length of every id, in characters. */
  public static final int LENGTH = 22;

  private Ids() {}

  public static String newId(SecureRandom random) {
    return Bytes.base64Url(Bytes.random(random, 16));
  }

  /** Whether {@code s} has the exact form of an id (so it can never name a path or another key). */
  public static boolean isValid(String s) {
    if (s.length() != LENGTH) {
      return false;
    }
    for (int i = 0; i < LENGTH; i++) {
      if (!Bytes.isBase64UrlChar(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** Returns {@code s} if it is a valid id, else throws with a clear message (that does not echo long input). */
  public static String requireValid(String s) {
    if (s == null || !isValid(s)) {
      throw new InvalidArgumentException("A secret id is exactly " + LENGTH + " characters of A-Z, a-z, 0-9, '-' and '_'.");
    }
    return s;
  }
}
