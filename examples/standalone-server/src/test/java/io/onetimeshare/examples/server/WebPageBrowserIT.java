package io.onetimeshare.examples.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web page in a real headless Chromium (Debian's chromium and chromium-driver, installed by bin/test): create in
 * one browser session, reveal in another, a second reveal shows the gone message, and no CSP violation is logged.
 */
class WebPageBrowserIT {
  static StandaloneServer server;
  static String base;
  @TempDir
  static Path profiles;

  /** The temporary folder for profiles and downloads; other browser tests share the helpers here. */
  static Path profiles() {
    if (profiles == null) {
      try {
        profiles = Files.createTempDirectory("ots-browser");
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return profiles;
  }

  @BeforeAll
  static void start() throws Exception {
    server = StandaloneServer.start(ServerOptions.parse(new String[] {"--port", "0", "--bind", "127.0.0.1",
        "--rate-create", "off", "--rate-open", "off"}, Map.of()));
    base = "http://127.0.0.1:" + server.port() + "/";
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  static WebDriver browser(String name) throws Exception {
    ChromeOptions o = new ChromeOptions();
    o.setBinary("/usr/bin/chromium");
    o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--user-data-dir=" + Files.createDirectories(profiles().resolve(name)));
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    o.setCapability("goog:loggingPrefs", logs);
    Path downloads = Files.createDirectories(profiles().resolve(name + "-downloads"));
    o.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(),
        "download.prompt_for_download", false));
    ChromeDriverService svc = new ChromeDriverService.Builder()
        .usingDriverExecutable(new java.io.File("/usr/bin/chromedriver")).usingAnyFreePort().build();
    ChromeDriver d = new ChromeDriver(svc, o);
    d.executeCdpCommand("Browser.setDownloadBehavior", Map.of("behavior", "allow", "downloadPath",
        downloads.toString()));
    return d;
  }

  /** The folder a browser made by {@link #browser} downloads into. */
  static Path downloads(String name) {
    return profiles().resolve(name + "-downloads");
  }

  /** Waits until {@code name} is completely downloaded into {@code dir} (no partial file left) and returns it. */
  static Path awaitDownload(Path dir, String name, Duration max) throws Exception {
    Path file = dir.resolve(name);
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      boolean partial;
      try (var s = Files.list(dir)) {
        partial = s.anyMatch(p -> p.toString().endsWith(".crdownload"));
      }
      if (Files.exists(file) && !partial) {
        return file;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no complete download of " + name + " in " + dir);
  }

  static WebDriverWait waitOn(WebDriver d) {
    return new WebDriverWait(d, Duration.ofSeconds(20));
  }

  static void assertNoCspViolations(WebDriver d) {
    for (LogEntry e : d.manage().logs().get(LogType.BROWSER).getAll()) {
      assertFalse(e.getMessage().contains("Content Security Policy"), "CSP violation: " + e.getMessage());
    }
    Object violations = ((org.openqa.selenium.JavascriptExecutor) d).executeScript(
        "return window.__csp ? window.__csp.length : 0");
    assertEquals(0L, violations);
  }

  static void watchCsp(WebDriver d) {
    ((org.openqa.selenium.JavascriptExecutor) d).executeScript(
        "window.__csp = []; document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective));");
  }

  /** Types text, characters outside the BMP included (ChromeDriver's sendKeys cannot send those). */
  static void typeInto(WebDriver d, String id, String text) {
    org.openqa.selenium.WebElement e = d.findElement(By.id(id));
    ((org.openqa.selenium.JavascriptExecutor) d).executeScript(
        "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'));", e, text);
  }

  /**
   * Issue 19, finding 6: the page's sanitiser ({@code names.js}) gives what the core's {@code FileNames} gives for
   * every shared case, and its prefix cuts a long non-ASCII name on a code point boundary (it cut mid-character).
   */
  @Test
  void thePagesFileNameRulesAreTheCoresAndCutOnCodePoints() throws Exception {
    String vectors = Files.readString(Path.of("../../onetimeshare-core/src/test/resources/vectors/filenames.json"));
    WebDriver d = browser("names");
    try {
      d.get(base);
      Object out = ((org.openqa.selenium.JavascriptExecutor) d).executeAsyncScript(
          "const done = arguments[arguments.length - 1];"
          + "Promise.all([import('./assets/names.js'), import('./assets/envelope.js')]).then(([n, e]) => {"
          + "  const cases = JSON.parse(arguments[0]);"
          + "  const wrong = cases.filter(c => n.safeFilename(c.raw) !== c.safe)"
          + "    .map(c => c.why + ': ' + JSON.stringify(n.safeFilename(c.raw)));"
          + "  const p = e.plaintextPrefix(2, '\u20ac'.repeat(200) + '.txt', null);"
          + "  const len = (p[1] << 8) | p[2];"
          + "  const name = new TextDecoder('utf-8', { fatal: true }).decode(p.slice(3, 3 + len));"
          + "  done(JSON.stringify({ wrong, len, name }));"
          + "}).catch(err => done(JSON.stringify({ error: String(err) })));", vectors);
      com.fasterxml.jackson.databind.JsonNode r = new com.fasterxml.jackson.databind.ObjectMapper()
          .readTree((String) out);
      assertFalse(r.has("error"), String.valueOf(r));
      assertEquals(0, r.get("wrong").size(), String.valueOf(r.get("wrong")));
      assertEquals(255, r.get("len").asInt());
      assertEquals("\u20ac".repeat(85), r.get("name").asText());
    } finally {
      d.quit();
    }
  }

  /**
   * Issue 9, finding 10, and issue 13: a revealed file is streamed by the service worker to the downloads folder as
   * application/octet-stream, never rendered with the type its creator chose (an HTML file must not run in the
   * page's origin); the bytes saved are exactly the bytes shared.
   */
  @Test
  void revealedFilesDownloadAsBytesWhateverTheirType() throws Exception {
    WebDriver sender = browser("sender4");
    WebDriver receiver = browser("receiver4");
    try {
      Path html = profiles.resolve("page.html");
      Files.writeString(html, "<script>alert(1)</script>");
      sender.get(base);
      watchCsp(sender);
      sender.findElement(By.id("kind-file")).click();
      sender.findElement(By.id("secret-file")).sendKeys(html.toString());
      sender.findElement(By.id("create")).click();
      waitOn(sender).until(ExpectedConditions.visibilityOfElementLocated(By.id("result")));
      String link = sender.findElement(By.id("link")).getAttribute("value");
      receiver.get(link);
      watchCsp(receiver);
      waitOn(receiver).until(ExpectedConditions.elementToBeClickable(By.id("reveal")));
      receiver.findElement(By.id("reveal")).click();
      waitOn(receiver).until(ExpectedConditions.visibilityOfElementLocated(By.id("file-status")));
      Path saved = awaitDownload(downloads("receiver4"), "page.html", Duration.ofSeconds(20));
      assertEquals("<script>alert(1)</script>", Files.readString(saved));
      assertEquals(link.substring(0, link.indexOf('#')), receiver.getCurrentUrl(), "nothing was rendered");
      assertNoCspViolations(receiver);
    } finally {
      sender.quit();
      receiver.quit();
    }
  }

  /** Issue 9: a passphrase outside Latin-1 (the page failed with a fetch() header error before). */
  @Test
  void nonAsciiPassphraseRoundTripsThroughThePage() throws Exception {
    WebDriver sender = browser("sender3");
    WebDriver receiver = browser("receiver3");
    try {
      String pass = "clé € 🙂";
      String link = create(sender, "emoji-protected", pass);
      receiver.get(link);
      waitOn(receiver).until(ExpectedConditions.visibilityOfElementLocated(By.id("passphrase")));
      typeInto(receiver, "passphrase", pass);
      receiver.findElement(By.id("reveal")).click();
      waitOn(receiver).until(ExpectedConditions.visibilityOfElementLocated(By.id("secret")));
      assertEquals("emoji-protected", receiver.findElement(By.id("secret")).getAttribute("value"));
      assertNoCspViolations(receiver);
    } finally {
      sender.quit();
      receiver.quit();
    }
  }

  static String create(WebDriver sender, String text, String passphrase) {
    return create(sender, base, text, passphrase);
  }

  /** Shares a text through the page at {@code site}; returns the link (the receipt link stays on the page). */
  static String create(WebDriver sender, String site, String text, String passphrase) {
    sender.get(site);
    watchCsp(sender);
    sender.findElement(By.id("secret-text")).sendKeys(text);
    if (passphrase != null) {
      typeInto(sender, "passphrase", passphrase);
    }
    sender.findElement(By.id("create")).click();
    waitOn(sender).until(ExpectedConditions.visibilityOfElementLocated(By.id("result")));
    String link = sender.findElement(By.id("link")).getAttribute("value");
    assertNoCspViolations(sender);
    return link;
  }

  @Test
  void createInOneBrowserRevealInAnotherOnce() throws Exception {
    WebDriver sender = browser("sender");
    WebDriver receiver = browser("receiver");
    WebDriver late = browser("late");
    try {
      String secret = "launch code 0000 ✓";
      String link = create(sender, secret, null);
      assertTrue(link.matches(java.util.regex.Pattern.quote(base) + "s/[A-Za-z0-9_-]{22}#[A-Za-z0-9_-]{43}"), link);
      String id = link.substring((base + "s/").length(), link.indexOf('#'));

      receiver.get(link);
      watchCsp(receiver);
      waitOn(receiver).until(ExpectedConditions.visibilityOfElementLocated(By.id("reveal")));
      HttpResponse<String> peek = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(base + "api/secrets/" + id)).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, peek.statusCode(), "loading the page (as a link preview would) consumes nothing");
      receiver.findElement(By.id("reveal")).click();
      waitOn(receiver).until(ExpectedConditions.visibilityOfElementLocated(By.id("secret")));
      assertEquals(secret, receiver.findElement(By.id("secret")).getAttribute("value"));
      assertFalse(receiver.getCurrentUrl().contains("#"), "the key is dropped from the address bar");
      assertNoCspViolations(receiver);

      late.get(link);
      waitOn(late).until(ExpectedConditions.visibilityOfElementLocated(By.id("gone")));
      assertTrue(late.findElement(By.id("gone")).getText().contains("not available"));
      assertNoCspViolations(late);
    } finally {
      sender.quit();
      receiver.quit();
      late.quit();
    }
  }

  @Test
  void passphraseSecretAndServerSeesOnlyBrowserCiphertext() throws Exception {
    WebDriver sender = browser("sender2");
    WebDriver receiver = browser("receiver2");
    try {
      String link = create(sender, "pin 4321", "open sesame");
      assertFalse(link.contains("#"), "a passphrase secret's link carries no key: " + link);
      receiver.get(link);
      waitOn(receiver).until(ExpectedConditions.visibilityOfElementLocated(By.id("passphrase")));
      receiver.findElement(By.id("passphrase")).sendKeys("wrong");
      receiver.findElement(By.id("reveal")).click();
      waitOn(receiver).until(ExpectedConditions.textToBePresentInElementLocated(By.id("error"), "4 attempt(s) left"));
      receiver.findElement(By.id("passphrase")).clear();
      receiver.findElement(By.id("passphrase")).sendKeys("open sesame");
      receiver.findElement(By.id("reveal")).click();
      waitOn(receiver).until(ExpectedConditions.visibilityOfElementLocated(By.id("secret")));
      assertEquals("pin 4321", receiver.findElement(By.id("secret")).getAttribute("value"));
      assertNoCspViolations(receiver);

      // zero knowledge: the server stores and returns the browser's envelope, never the text or the key
      String link2 = create(sender, "never in plaintext on the server", null);
      String id = link2.substring((base + "s/").length(), link2.indexOf('#'));
      io.onetimeshare.Credential key = io.onetimeshare.Credential.key(link2.substring(link2.indexOf('#') + 1));
      HttpResponse<String> peek = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(base + "api/secrets/" + id)).build(), HttpResponse.BodyHandlers.ofString());
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"proofContext\":\"([^\"]+)\"").matcher(peek.body());
      assertTrue(m.find(), peek.body());
      String proof = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(io.onetimeshare.ClientEnvelope
          .proof(id, java.util.Base64.getUrlDecoder().decode(m.group(1)), key));
      HttpResponse<byte[]> raw = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create(base + "api/secrets/" + id + "/open")).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"proof\":\"" + proof + "\"}")).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, raw.statusCode());
      String body = new String(raw.body(), StandardCharsets.ISO_8859_1);
      assertTrue(body.startsWith("OTSE"), "the documented envelope format v1");
      assertFalse(body.contains("never in plaintext"));
      try (io.onetimeshare.OpenedStream o = io.onetimeshare.ClientEnvelope.open(id, key,
          new java.io.ByteArrayInputStream(raw.body()))) { // and the library opens what the page sealed
        assertEquals("never in plaintext on the server", new String(o.content().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals(io.onetimeshare.SecretKind.TEXT, o.kind());
      }
    } finally {
      sender.quit();
      receiver.quit();
    }
  }

  @Test
  void pagesCarryTheStrictPolicy() throws Exception {
    for (String path : List.of("", "s/AAAAAAAAAAAAAAAAAAAAAA", "assets/create.js")) {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + path)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
      assertTrue(csp.contains("default-src 'none'") && csp.contains("script-src 'self'")
          && !csp.contains("unsafe-inline"), csp);
      assertFalse(r.body().contains("<script>"), "no inline script");
    }
  }
}
