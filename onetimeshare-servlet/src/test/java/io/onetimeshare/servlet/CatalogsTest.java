package io.onetimeshare.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The page's message catalogs (issue 24): every language has every key of English, no other, with the same
 * placeholders and the same emphasis; every key a page or script names exists; the languages the server offers are the
 * ones the picker lists.
 */
class CatalogsTest {
  static final Path WEB = Path.of("src/main/resources/io/onetimeshare/servlet/web");
  static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\w+)\\}");
  static final Pattern KEY = Pattern.compile("\"((?:common|title|account|create|created|progress|upload|reveal|receipt"
      + "|ask|answer|error)\\.[A-Za-z_.]+)\"");
  static final Pattern HTML_KEY = Pattern.compile("data-i18n(?:-[a-z-]+)?=\"([^\"]+)\"");

  static Map<String, String> catalog(String lang) throws IOException {
    JsonNode n = new ObjectMapper().readTree(WEB.resolve("i18n/" + lang + ".json").toFile());
    Map<String, String> m = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : n.properties()) {
      assertTrue(e.getValue().isTextual(), lang + ": " + e.getKey() + " is not a string");
      m.put(e.getKey(), e.getValue().asText());
    }
    return m;
  }

  static Set<String> placeholders(String s) {
    Set<String> out = new TreeSet<>();
    Matcher m = PLACEHOLDER.matcher(s);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  @Test
  void everyLanguageHasEveryKeyNoOtherTheSamePlaceholdersAndEmphasis() throws IOException {
    Map<String, String> en = catalog("en");
    assertTrue(Assets.LANGUAGES.size() >= 12, "at least twelve languages");
    assertTrue(Assets.LANGUAGES.contains("ar") && (Assets.LANGUAGES.contains("ja") || Assets.LANGUAGES.contains("zh")),
        "one right-to-left and one CJK language");
    List<String> problems = new ArrayList<>();
    for (String lang : Assets.LANGUAGES) {
      Map<String, String> c = catalog(lang);
      for (String k : en.keySet()) {
        if (!c.containsKey(k)) {
          problems.add(lang + ": missing " + k);
        } else if (c.get(k).isBlank()) {
          problems.add(lang + ": empty " + k);
        } else {
          if (!placeholders(c.get(k)).equals(placeholders(en.get(k)))) {
            problems.add(lang + ": " + k + " has placeholders " + placeholders(c.get(k)) + ", English "
                + placeholders(en.get(k)));
          }
          if (c.get(k).split("\\*\\*", -1).length != en.get(k).split("\\*\\*", -1).length) {
            problems.add(lang + ": " + k + " marks a different number of strong parts (**) than English");
          }
        }
      }
      for (String k : c.keySet()) {
        if (!en.containsKey(k)) {
          problems.add(lang + ": extra key " + k);
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void everyKeyThePagesAndScriptsNameExistsInEnglish() throws IOException {
    Map<String, String> en = catalog("en");
    Set<String> used = new TreeSet<>();
    try (Stream<Path> files = Files.list(WEB)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String name = f.getFileName().toString();
        String text = Files.readString(f);
        Matcher m = (name.endsWith(".html") ? HTML_KEY : KEY).matcher(text);
        while (m.find()) {
          if (!m.group(1).endsWith(".")) { // a prefix the script completes with the server's word (below)
            used.add(m.group(1));
          }
        }
      }
    }
    // keys made from the server's words: a receipt's state, an API error's code
    for (String state : List.of("waiting", "opened", "expired", "deleted", "burned")) {
      used.add("receipt.secret." + state);
      used.add("receipt.stateName." + state);
    }
    for (String state : List.of("waiting", "answered", "opened", "expired", "deleted")) {
      used.add("receipt.request." + state);
      used.add("receipt.stateName." + state);
    }
    used.add("receipt.secret.none");
    used.add("receipt.request.none");
    assertTrue(used.size() > 100, "the scan found the keys: " + used.size());
    List<String> missing = used.stream().filter(k -> !en.containsKey(k)).toList();
    assertEquals(List.of(), missing);
  }

  @Test
  void thePickerListsTheLanguagesTheServerOffers() throws IOException {
    String page = Files.readString(WEB.resolve("page.js"));
    String list = page.substring(page.indexOf("LANGUAGES = {"), page.indexOf("};", page.indexOf("LANGUAGES = {")));
    Set<String> picker = new TreeSet<>();
    Matcher m = Pattern.compile("\\b([a-z]{2}): \"").matcher(list);
    while (m.find()) {
      picker.add(m.group(1));
    }
    assertEquals(new TreeSet<>(Assets.LANGUAGES), picker);
  }

  @Test
  void acceptLanguageChoosesTheBestCatalog() {
    assertEquals("de", Assets.language("de-CH,de;q=0.9,en;q=0.8"));
    assertEquals("ar", Assets.language("ar-EG"));
    assertEquals("pt", Assets.language("pt-BR,pt;q=0.9"));
    assertEquals("zh", Assets.language("zh-Hans-CN,zh;q=0.9"));
    assertEquals("ja", Assets.language("xx, ja;q=0.5"));
    assertEquals("en", Assets.language("sw, xh;q=0.5"));
    assertEquals("en", Assets.language(null));
    assertEquals("en", Assets.language(";;;q=nonsense"));
    assertEquals("fr", Assets.language("fr;q=0.8, de;q=0"));
    assertFalse(Assets.language("*").isEmpty());
  }
}
