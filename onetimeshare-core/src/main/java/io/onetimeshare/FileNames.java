package io.onetimeshare;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The one sanitiser for file names a sender chose: the servlet applies it before a name is sealed, and every client
 * (the library's callers, {@code ots}, the page, whose {@code names.js} follows the same rules and is tested against
 * the same cases) applies it again before a name is written to a receiver's disk, because a sender's client may be
 * anything. A name that comes out of it is a bare name that is safe to create in a directory on Linux, macOS and
 * Windows and that displays as what it is.
 *
 * @since 0.3
 */
public final class FileNames {
  /** The longest name, in bytes of UTF-8, that the envelope carries and that file systems commonly accept. */
  public static final int MAX_BYTES = 255;

  private static final Set<String> WINDOWS_DEVICES = Set.of("CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
      "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "COM¹", "COM²", "COM³",
      "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9", "LPT¹", "LPT²", "LPT³");

  private FileNames() {}

  /**
   * The last path segment ({@code /} and {@code \} both separate) without: control characters (C0, DEL, C1),
   * bidirectional embeddings, overrides, isolates and marks (which make {@code exe.txt} display as {@code txt.exe}),
   * zero-width and other invisible format characters, unassigned, private-use and lone surrogate code points,
   * characters Windows forbids ({@code < > : " | ? *}), leading dots (no hidden or dot files such as {@code .bashrc})
   * and leading or trailing spaces and trailing dots (which Windows drops); a Windows device name ({@code CON},
   * {@code nul.txt}, {@code COM1.log}) gets a leading underscore. Cut to {@link #MAX_BYTES} bytes of UTF-8 on a code
   * point boundary. Null when nothing is left.
   */
  public static @Nullable String safe(@Nullable String raw) {
    if (raw == null) {
      return null;
    }
    String f = raw.replace('\\', '/');
    f = f.substring(f.lastIndexOf('/') + 1);
    StringBuilder b = new StringBuilder(f.length());
    f.codePoints().filter(FileNames::allowed).forEach(b::appendCodePoint);
    String s = trim(b.toString());
    int cut = s.length();
    while (s.substring(0, cut).getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      cut = s.offsetByCodePoints(cut, -1);
    }
    s = trim(s.substring(0, cut));
    if (s.isEmpty()) {
      return null;
    }
    int dot = s.indexOf('.');
    String stem = (dot < 0 ? s : s.substring(0, dot)).strip().toUpperCase(Locale.ROOT);
    if (WINDOWS_DEVICES.contains(stem)) {
      s = "_" + s;
      if (s.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
        s = s.substring(0, s.offsetByCodePoints(s.length(), -1));
      }
    }
    return s;
  }

  /** Whether {@code name} is already what {@link #safe} makes of it. */
  public static boolean isSafe(@Nullable String name) {
    return name != null && name.equals(safe(name));
  }

  /** No leading dots or spaces, no trailing dots or spaces. */
  private static String trim(String s) {
    int from = 0;
    int to = s.length();
    while (from < to && (s.charAt(from) == '.' || Character.isWhitespace(s.charAt(from)))) {
      from++;
    }
    while (to > from && (s.charAt(to - 1) == '.' || Character.isWhitespace(s.charAt(to - 1)))) {
      to--;
    }
    return s.substring(from, to);
  }

  private static boolean allowed(int cp) {
    if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) {
      return false; // C0, DEL, C1 controls
    }
    if ("<>:\"|?*".indexOf(cp) >= 0) {
      return false; // reserved on Windows (":" also names an NTFS alternate data stream)
    }
    int type = Character.getType(cp);
    // FORMAT covers bidi controls (U+202A-202E, U+2066-2069, U+200E/F, U+061C), zero-width (U+200B-200D, U+2060,
    // U+FEFF) and the other invisible format characters; LINE/PARAGRAPH separators break a name across lines
    return type != Character.FORMAT && type != Character.SURROGATE && type != Character.UNASSIGNED
        && type != Character.PRIVATE_USE && type != Character.LINE_SEPARATOR
        && type != Character.PARAGRAPH_SEPARATOR;
  }
}
