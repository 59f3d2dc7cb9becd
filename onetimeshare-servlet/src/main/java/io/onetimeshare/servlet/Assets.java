package io.onetimeshare.servlet;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;

/** The web page's files, loaded once from the jar and served from memory. */
final class Assets {
  private static final Map<String, String> TYPES = Map.ofEntries(
      Map.entry("index.html", "text/html; charset=utf-8"),
      Map.entry("reveal.html", "text/html; charset=utf-8"),
      Map.entry("receipt.html", "text/html; charset=utf-8"),
      Map.entry("ask.html", "text/html; charset=utf-8"),
      Map.entry("answer.html", "text/html; charset=utf-8"),
      Map.entry("ask.js", "text/javascript; charset=utf-8"),
      Map.entry("answer.js", "text/javascript; charset=utf-8"),
      Map.entry("uploader.js", "text/javascript; charset=utf-8"),
      Map.entry("app.css", "text/css; charset=utf-8"),
      Map.entry("crypto.js", "text/javascript; charset=utf-8"),
      Map.entry("envelope.js", "text/javascript; charset=utf-8"),
      Map.entry("hpke.js", "text/javascript; charset=utf-8"),
      Map.entry("names.js", "text/javascript; charset=utf-8"),
      Map.entry("argon2.js", "text/javascript; charset=utf-8"),
      Map.entry("upload-worker.js", "text/javascript; charset=utf-8"),
      Map.entry("download-sw.js", "text/javascript; charset=utf-8"),
      Map.entry("create.js", "text/javascript; charset=utf-8"),
      Map.entry("reveal.js", "text/javascript; charset=utf-8"),
      Map.entry("receipt.js", "text/javascript; charset=utf-8"));
  private static final Map<String, byte[]> BYTES = load();

  private Assets() {}

  /** Whether {@code name} may be fetched under {@code /assets/} (the pages have their own addresses). */
  static boolean isPublicAsset(String name) {
    return TYPES.containsKey(name) && !name.endsWith(".html");
  }

  static void serve(HttpServletResponse resp, String name) throws IOException {
    byte[] b = java.util.Objects.requireNonNull(BYTES.get(name), name);
    resp.setStatus(200);
    resp.setContentType(TYPES.get(name));
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
}
