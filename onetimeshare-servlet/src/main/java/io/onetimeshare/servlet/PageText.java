package io.onetimeshare.servlet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The page's message catalogs for pages a server writes itself (issue 24), such as a sign-in's failure page: the same
 * catalogs and language choice as the web page ({@code web/i18n/<code>.json}, {@code Accept-Language}).
 *
 * @since 0.3
 */
public final class PageText {
  private static final Map<String, Map<String, String>> CATALOGS = new ConcurrentHashMap<>();
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\w+)\\}");

  private PageText() {}

  /** The page language for an {@code Accept-Language} header: a catalog's code, English when none fits. */
  public static String language(@Nullable String acceptLanguage) {
    return Assets.language(acceptLanguage);
  }

  /** Whether {@code lang} is written right to left. */
  public static boolean rightToLeft(String lang) {
    return lang.equals("ar");
  }

  /**
   * Message {@code key} in {@code lang} (English when that catalog lacks it) with {@code {name}} placeholders filled
   * from {@code params}; emphasis marks ({@code **}) are dropped. The key itself when no catalog has it.
   */
  public static String text(String lang, String key, Map<String, String> params) {
    String t = catalog(Assets.LANGUAGES.contains(lang) ? lang : "en").get(key);
    if (t == null) {
      t = catalog("en").getOrDefault(key, key);
    }
    Matcher m = PLACEHOLDER.matcher(t.replace("**", ""));
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(sb, Matcher.quoteReplacement(params.getOrDefault(m.group(1), m.group())));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private static Map<String, String> catalog(String lang) {
    return CATALOGS.computeIfAbsent(lang, l -> {
      try (InputStream in = PageText.class.getResourceAsStream("web/i18n/" + l + ".json")) {
        if (in == null) {
          throw new IllegalStateException("missing catalog " + l);
        }
        JsonNode n = new ObjectMapper().readTree(in);
        Map<String, String> m = new java.util.HashMap<>();
        for (Map.Entry<String, JsonNode> e : n.properties()) {
          m.put(e.getKey(), e.getValue().asText());
        }
        return Map.copyOf(m);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }
}
