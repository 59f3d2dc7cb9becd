package io.onetimeshare.servlet;

import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/** Reduces client-supplied file names to a safe bare name before they are sealed with the secret. */
final class Names {
  private static final int MAX_BYTES = 255;

  private Names() {}

  /**
   * The last path segment ({@code /} and {@code \} both separate), without control characters, bidirectional
   * overrides and isolates (which make {@code exe.txt} display as {@code txt.exe}), zero-width characters, leading
   * dots and surrounding spaces, cut to 255 bytes of UTF-8 on a character boundary; null when nothing is left.
   */
  static @Nullable String safeFilename(@Nullable String raw) {
    if (raw == null) {
      return null;
    }
    String f = raw.replace('\\', '/');
    f = f.substring(f.lastIndexOf('/') + 1);
    StringBuilder b = new StringBuilder(f.length());
    f.codePoints().filter(Names::allowed).forEach(b::appendCodePoint);
    String s = b.toString().strip();
    int dots = 0;
    while (dots < s.length() && s.charAt(dots) == '.') {
      dots++;
    }
    s = s.substring(dots).strip();
    while (s.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      s = s.substring(0, s.offsetByCodePoints(s.length(), -1));
    }
    return s.isEmpty() ? null : s;
  }

  private static boolean allowed(int cp) {
    if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) {
      return false; // C0, DEL, C1 controls
    }
    if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200e || cp == 0x200f
        || cp == 0x061c) {
      return false; // bidirectional embeddings, overrides, isolates and marks
    }
    if ((cp >= 0x200b && cp <= 0x200d) || cp == 0x2060 || cp == 0xfeff) {
      return false; // zero-width characters
    }
    int type = Character.getType(cp);
    return type != Character.SURROGATE && type != Character.UNASSIGNED && type != Character.PRIVATE_USE;
  }
}
