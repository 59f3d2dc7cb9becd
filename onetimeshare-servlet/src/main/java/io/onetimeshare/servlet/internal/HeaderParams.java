package io.onetimeshare.servlet.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Parameters of a structured header value such as {@code form-data; name="file"; filename="a;b\".html"} (RFC 9110
 * quoted strings with backslash escapes, so a quoted {@code ;} or {@code "} does not end the value), and the RFC 8187
 * extended form {@code filename*=UTF-8''%E2%82%AC.txt}, which wins over the plain one.
 */
public final class HeaderParams {
  private HeaderParams() {}

  /** Lower-cased parameter names to values; the first token (before any {@code ;}) is under the empty name. */
  public static Map<String, String> parse(String header) {
    Map<String, String> out = new LinkedHashMap<>();
    int n = header.length();
    int semi = nextSemicolon(header, 0);
    out.put("", header.substring(0, semi).trim());
    int i = semi + 1;
    while (i < n) {
      int eq = header.indexOf('=', i);
      int end = nextSemicolon(header, i);
      if (eq < 0 || eq > end) {
        i = end + 1;
        continue;
      }
      String name = header.substring(i, eq).trim().toLowerCase(Locale.ROOT);
      int v = eq + 1;
      while (v < n && header.charAt(v) == ' ') {
        v++;
      }
      String value;
      if (v < n && header.charAt(v) == '"') {
        StringBuilder b = new StringBuilder();
        int j = v + 1;
        for (; j < n && header.charAt(j) != '"'; j++) {
          char c = header.charAt(j);
          if (c == '\\' && j + 1 < n) {
            c = header.charAt(++j);
          }
          b.append(c);
        }
        value = b.toString();
        end = nextSemicolon(header, Math.min(n, j + 1));
      } else {
        value = header.substring(v, end).trim();
      }
      out.putIfAbsent(name, value);
      i = end + 1;
    }
    return out;
  }

  private static int nextSemicolon(String s, int from) {
    int k = s.indexOf(';', from);
    return k < 0 ? s.length() : k;
  }

  /** A parameter, the RFC 8187 {@code name*} form (UTF-8 only) taking precedence; null when absent or undecodable. */
  public static @Nullable String get(Map<String, String> params, String name) {
    String ext = params.get(name + "*");
    if (ext != null) {
      String decoded = decodeExtended(ext);
      if (decoded != null) {
        return decoded;
      }
    }
    return params.get(name);
  }

  /** Decodes {@code UTF-8'lang'pct-encoded}; null when it is not that form or not valid UTF-8. */
  public static @Nullable String decodeExtended(String v) {
    int a = v.indexOf('\'');
    int b = a < 0 ? -1 : v.indexOf('\'', a + 1);
    if (a < 0 || b < 0 || !v.substring(0, a).equalsIgnoreCase("UTF-8")) {
      return null;
    }
    return percentDecodeUtf8(v.substring(b + 1));
  }

  /** Strict percent-decoding to UTF-8 (no {@code +} as space); null on a bad escape or invalid UTF-8. */
  public static @Nullable String percentDecodeUtf8(String s) {
    byte[] out = new byte[s.length()];
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          return null;
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        out[n++] = (byte) (hi << 4 | lo);
        i += 2;
      } else if (c < 0x80) {
        out[n++] = (byte) c;
      } else {
        return null;
      }
    }
    java.nio.charset.CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
        .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
    try {
      return d.decode(java.nio.ByteBuffer.wrap(out, 0, n)).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      return null;
    }
  }

  /** Decodes {@code application/x-www-form-urlencoded} text ({@code +} is a space) as UTF-8. */
  public static String formDecode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
