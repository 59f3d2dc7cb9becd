package io.onetimeshare.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Text from someone else (a secret's sender, a server) on a terminal: control characters and escape sequences are
 * shown escaped instead of being obeyed, so a secret cannot hide itself ({@code ESC[8m}), write the clipboard (OSC 52),
 * retitle the window (OSC 0) or reorder what is shown (bidi overrides). New lines and tabs stay.
 */
final class TerminalText {
  private TerminalText() {}

  /** Whether {@code cp} is shown escaped: C0 but tab and newline, DEL, C1, and bidirectional controls. */
  static boolean escaped(int cp) {
    return (cp < 0x20 && cp != '\n' && cp != '\t') || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)
        || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200e || cp == 0x200f
        || cp == 0x061c;
  }

  /** {@code s} with every {@link #escaped} character as {@code \xNN} or {@code \}{@code uNNNN}. */
  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    s.codePoints().forEach(cp -> append(b, cp));
    return b.toString();
  }

  /** One line from a server or an exception for stderr: every control character escaped, new lines included. */
  static String message(String s) {
    return escape(s.replace("\n", " ").replace("\r", " "));
  }

  private static void append(StringBuilder b, int cp) {
    if (!escaped(cp)) {
      b.appendCodePoint(cp);
    } else if (cp < 0x100) {
      b.append(String.format("\\x%02x", cp));
    } else {
      b.append(String.format("\\u%04x", cp));
    }
  }

  /**
   * Streams UTF-8 text to a terminal with {@link #escaped} characters made visible; says once on {@code err} that it
   * did, and how to get the exact bytes.
   */
  static void write(InputStream text, PrintStream out, PrintStream err) throws IOException {
    Reader r = new InputStreamReader(text, StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE));
    char[] buf = new char[8192];
    StringBuilder line = new StringBuilder();
    boolean any = false;
    int n;
    char high = 0;
    while ((n = r.read(buf)) > 0) {
      line.setLength(0);
      for (int i = 0; i < n; i++) {
        char c = buf[i];
        if (high != 0) {
          line.append(high);
          high = 0;
        }
        if (Character.isHighSurrogate(c) && i == n - 1) {
          high = c; // its low half comes with the next read
          continue;
        }
        if (escaped(c)) {
          any = true;
          append(line, c);
        } else {
          line.append(c);
        }
      }
      out.print(line);
    }
    if (high != 0) {
      out.print(high);
    }
    java.util.Arrays.fill(buf, '\0');
    if (any) {
      err.println("ots: control characters in this text are shown escaped (\\x..); use --raw, a pipe or -o FILE "
          + "for the exact bytes.");
    }
  }
}
