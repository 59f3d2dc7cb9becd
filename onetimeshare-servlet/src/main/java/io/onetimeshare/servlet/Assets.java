package io.onetimeshare.servlet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The web page's files, loaded once from the jar and served from memory. A page is served in the language the
 * browser's {@code Accept-Language} prefers among the catalogs (issue 24): its {@code <html lang dir>} says which, and
 * the page's script translates it with that catalog unless the reader picked another.
 */
final class Assets {
  /** The page's languages (catalogs {@code web/i18n/<code>.json}); the first is the default. */
  static final List<String> LANGUAGES = List.of("en", "de", "fr", "es", "it", "pt", "nl", "pl", "uk", "tr", "ar",
      "ja", "zh");
  private static final List<String> RTL = List.of("ar");
  private static final String JS = "text/javascript; charset=utf-8";
  private static final String HTML = "text/html; charset=utf-8";
  private static final Map<String, String> TYPES = types();
  private static final Map<String, byte[]> BYTES = load();
  /** Each page in each language: {@code name + "|" + code}. */
  private static final Map<String, byte[]> PAGES = pages();
  private static final List<Locale.LanguageRange> NONE = List.of();

  private Assets() {}

  private static Map<String, String> types() {
    Map<String, String> m = new HashMap<>();
    for (String page : List.of("index", "reveal", "receipt", "ask", "answer")) {
      m.put(page + ".html", HTML);
    }
    m.put("app.css", "text/css; charset=utf-8");
    m.put("icon.svg", "image/svg+xml");
    for (String js : List.of("crypto", "envelope", "hpke", "names", "argon2", "upload-worker", "download-sw", "create",
        "reveal", "receipt", "ask", "answer", "uploader", "page", "qr")) {
      m.put(js + ".js", JS);
    }
    for (String lang : LANGUAGES) {
      m.put("i18n/" + lang + ".json", "application/json");
    }
    return Map.copyOf(m);
  }

  /** Whether {@code name} may be fetched under {@code /assets/} (the pages have their own addresses). */
  static boolean isPublicAsset(String name) {
    return TYPES.containsKey(name) && !name.endsWith(".html");
  }

  static void serve(HttpServletResponse resp, String name) throws IOException {
    write(resp, java.util.Objects.requireNonNull(TYPES.get(name), name),
        java.util.Objects.requireNonNull(BYTES.get(name), name));
  }

  /** Serves page {@code name} in the language {@code req}'s {@code Accept-Language} prefers. */
  static void page(HttpServletRequest req, HttpServletResponse resp, String name) throws IOException {
    String lang = language(req.getHeader("Accept-Language"));
    resp.setHeader("Vary", "Accept-Language");
    resp.setHeader("Content-Language", lang);
    write(resp, HTML, java.util.Objects.requireNonNull(PAGES.get(name + "|" + lang), name));
  }

  /** The best of {@link #LANGUAGES} for an {@code Accept-Language} header (RFC 4647 lookup), else English. */
  static String language(@org.jspecify.annotations.Nullable String header) {
    List<Locale.LanguageRange> ranges;
    try {
      ranges = header == null || header.length() > 512 ? NONE : Locale.LanguageRange.parse(header);
    } catch (IllegalArgumentException e) {
      ranges = NONE;
    }
    String tag = Locale.lookupTag(ranges, LANGUAGES);
    if (tag == null) { // "pt-BR", "zh-Hans-CN" and the like: their primary language
      for (Locale.LanguageRange r : ranges) {
        String primary = r.getRange().split("-")[0];
        if (r.getWeight() > 0 && LANGUAGES.contains(primary)) {
          return primary;
        }
      }
      return LANGUAGES.get(0);
    }
    return tag;
  }

  private static void write(HttpServletResponse resp, String type, byte[] b) throws IOException {
    resp.setStatus(200);
    resp.setContentType(type);
    resp.setContentLength(b.length);
    resp.getOutputStream().write(b);
  }

  private static Map<String, byte[]> load() {
    Map<String, byte[]> m = new HashMap<>();
    for (String name : TYPES.keySet()) {
      try (InputStream in = Assets.class.getResourceAsStream("web/" + name)) {
        if (in == null) {
          throw new IllegalStateException("missing web asset " + name);
        }
        m.put(name, in.readAllBytes());
      } catch (IOException e) {
        throw new IllegalStateException("cannot read web asset " + name, e);
      }
    }
    return Map.copyOf(m);
  }

  private static Map<String, byte[]> pages() {
    Map<String, byte[]> m = new HashMap<>();
    String marker = "<html lang=\"en\">";
    for (Map.Entry<String, byte[]> e : BYTES.entrySet()) {
      if (!e.getKey().endsWith(".html")) {
        continue;
      }
      String html = new String(e.getValue(), StandardCharsets.UTF_8);
      if (!html.contains(marker)) {
        throw new IllegalStateException(e.getKey() + " does not start with " + marker);
      }
      for (String lang : LANGUAGES) {
        String tag = "<html lang=\"" + lang + "\" dir=\"" + (RTL.contains(lang) ? "rtl" : "ltr") + "\">";
        m.put(e.getKey().replace(".html", "") + "|" + lang, html.replace(marker, tag).getBytes(StandardCharsets.UTF_8));
      }
    }
    return Map.copyOf(m);
  }
}
