package io.onetimeshare.examples.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * Issue 24 in a real headless Chromium: the pages in several languages (Arabic mirrored right to left, Japanese,
 * German), axe-core's WCAG 2.2 AA rules on every state of every page in light and dark, a keyboard-only share and
 * open, the QR code decoded by ZXing from a screenshot, narrow screens without sideways scrolling, the operator's
 * branding, and the README's screenshots (written to {@code docs/screenshots}).
 */
class PageForEveryoneBrowserIT {
  static StandaloneServer server;
  static StandaloneServer branded;
  static String base;
  static final Path SHOTS = Path.of("../../docs/screenshots");

  @BeforeAll
  static void start() throws Exception {
    server = StandaloneServer.start(ServerOptions.parse(new String[] {"--port", "0", "--bind", "127.0.0.1",
        "--warmup", "off", "--request-log", "off", "--rate-create", "off", "--rate-open", "off"}, Map.of()));
    base = "http://127.0.0.1:" + server.port() + "/";
    Path logo = Files.createDirectories(WebPageBrowserIT.profiles()).resolve("logo.svg");
    Files.writeString(logo, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"120\" height=\"32\"><rect width=\"120\""
        + " height=\"32\" fill=\"#aa0000\"/></svg>");
    branded = StandaloneServer.start(ServerOptions.parse(new String[] {"--port", "0", "--bind", "127.0.0.1",
        "--warmup", "off", "--request-log", "off", "--brand-name", "Acme Secrets", "--brand-accent", "#aa0000",
        "--brand-logo", logo.toString(), "--brand-footer-links",
        "Imprint=https://acme.example/imprint,Privacy=https://acme.example/privacy",
        "--brand-notice", "Operated by Acme Ltd. for its customers."}, Map.of()));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    branded.close();
  }

  /** A browser whose Accept-Language (and navigator.languages) is {@code lang}, with a window of the given size. */
  static WebDriver browser(String name, String lang, int width, int height) throws Exception {
    ChromeOptions o = new ChromeOptions();
    o.setBinary("/usr/bin/chromium");
    o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
        "--lang=" + lang, "--accept-lang=" + lang, "--window-size=" + width + "," + height, "--hide-scrollbars",
        "--user-data-dir=" + Files.createDirectories(WebPageBrowserIT.profiles().resolve(name)));
    o.setExperimentalOption("prefs", Map.of("intl.accept_languages", lang));
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    o.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService svc = new ChromeDriverService.Builder()
        .usingDriverExecutable(new java.io.File("/usr/bin/chromedriver")).usingAnyFreePort().build();
    ChromeDriver d = new ChromeDriver(svc, o);
    d.executeCdpCommand("Browser.grantPermissions", Map.of("permissions",
        List.of("clipboardReadWrite", "clipboardSanitizedWrite")));
    return d;
  }

  /**
   * Sets the page's viewport exactly (a headless window has a minimum width above a phone's): {@code width} CSS pixels
   * wide, as a phone or a zoomed desktop would lay the page out.
   */
  static void viewport(WebDriver d, int width, int height, boolean mobile) {
    ((ChromeDriver) d).executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height",
        height, "deviceScaleFactor", 1, "mobile", mobile));
  }

  static Map<String, String> catalog(String lang) throws Exception {
    JsonNode n = new ObjectMapper().readTree(Path.of(
        "../../onetimeshare-servlet/src/main/resources/io/onetimeshare/servlet/web/i18n/" + lang + ".json").toFile());
    Map<String, String> m = new java.util.HashMap<>();
    n.properties().forEach(e -> m.put(e.getKey(), e.getValue().asText().replace("**", "")));
    return m;
  }

  static String text(WebDriver d, String id) {
    return d.findElement(By.id(id)).getText();
  }

  static void ready(WebDriver d) {
    WebPageBrowserIT.waitOn(d).until(x -> Boolean.TRUE.equals(((JavascriptExecutor) x).executeScript(
        "return document.readyState === 'complete' && !!document.querySelector('#lang')")));
  }

  /** Creates a text secret through the form; returns the link. */
  static String share(WebDriver d, String site, String secret) {
    d.get(site);
    ready(d);
    WebPageBrowserIT.typeInto(d, "secret-text", secret);
    d.findElement(By.id("create")).click();
    WebPageBrowserIT.waitOn(d).until(ExpectedConditions.visibilityOfElementLocated(By.id("result")));
    return d.findElement(By.id("link")).getAttribute("value");
  }

  @Test
  void thePagesSpeakTheReadersLanguageArabicMirroredAndThePickerRemembers() throws Exception {
    for (String lang : List.of("de", "ar", "ja")) {
      Map<String, String> c = catalog(lang);
      WebDriver sender = browser("lang-" + lang, lang, 1280, 900);
      WebDriver receiver = browser("lang-r-" + lang, lang, 1280, 900);
      try {
        sender.get(base);
        ready(sender);
        assertEquals(lang, ((JavascriptExecutor) sender).executeScript("return document.documentElement.lang"));
        assertEquals(c.get("create.submit"), text(sender, "create"), lang);
        assertEquals(c.get("create.lead"), sender.findElement(By.className("lead")).getText(), lang);
        String link = share(sender, base, "geheim ✓ " + lang);
        assertEquals(c.get("created.heading"), text(sender, "result-heading"));
        assertTrue(text(sender, "expires").startsWith(c.get("created.expires").split("\\{")[0].trim()),
            text(sender, "expires"));
        receiver.get(link);
        WebPageBrowserIT.waitOn(receiver).until(ExpectedConditions.elementToBeClickable(By.id("reveal")));
        assertEquals(c.get("reveal.button"), text(receiver, "reveal"));
        receiver.findElement(By.id("reveal")).click();
        WebPageBrowserIT.waitOn(receiver).until(ExpectedConditions.visibilityOfElementLocated(By.id("secret")));
        assertEquals("geheim ✓ " + lang, receiver.findElement(By.id("secret")).getAttribute("value"));
        assertEquals(c.get("reveal.here"), text(receiver, "status"));
        if (lang.equals("ar")) {
          JavascriptExecutor js = (JavascriptExecutor) sender;
          assertEquals("rtl", js.executeScript("return document.documentElement.dir"));
          // mirrored: the heading starts at the right edge of the column, the language picker sits at the left
          Number headingRight = (Number) js.executeScript(
              "const r = document.querySelector('h1').getBoundingClientRect(); return r.right;");
          Number mainRight = (Number) js.executeScript(
              "const r = document.querySelector('main').getBoundingClientRect(); return r.right;");
          assertTrue(Math.abs(headingRight.doubleValue() - mainRight.doubleValue()) < 20,
              "h1 right " + headingRight + ", main right " + mainRight);
          Number pickerLeft = (Number) js.executeScript("return document.querySelector('#lang').getBoundingClientRect().left");
          assertTrue(pickerLeft.doubleValue() < 640, "the picker is on the left: " + pickerLeft);
        }
      } finally {
        sender.quit();
        receiver.quit();
      }
    }
    // the picker: switching changes the page at once and is remembered on the next visit
    WebDriver d = browser("picker", "en", 1280, 900);
    try {
      d.get(base);
      ready(d);
      assertEquals("Create link", text(d, "create"));
      new org.openqa.selenium.support.ui.Select(d.findElement(By.id("lang"))).selectByValue("fr");
      WebPageBrowserIT.waitOn(d).until(ExpectedConditions.textToBe(By.id("create"), catalog("fr").get("create.submit")));
      d.get(base + "ask");
      ready(d);
      assertEquals(catalog("fr").get("ask.submit"), text(d, "ask"), "remembered on another page");
      assertEquals("fr", ((JavascriptExecutor) d).executeScript("return document.documentElement.lang"));
    } finally {
      d.quit();
    }
  }

  @Test
  void axeFindsNoViolationOnAnyStateOfAnyPageInLightAndDark() throws Exception {
    List<String> found = new ArrayList<>();
    for (String scheme : List.of("light", "dark")) {
      WebDriver d = browser("axe-" + scheme, "en", 1280, 900);
      WebDriver r = browser("axe-r-" + scheme, "en", 1280, 900);
      try {
        Axe.colourScheme(d, scheme);
        Axe.colourScheme(r, scheme);
        check(found, d, scheme, "create: empty", () -> {
          d.get(base);
          ready(d);
        });
        // the checker itself: an unlabelled field and low-contrast text put in on purpose are found, then removed
        ((JavascriptExecutor) d).executeScript("const i = document.createElement('input'); i.id = 'axe-probe';"
            + "document.querySelector('main').appendChild(i); const p = document.createElement('p');"
            + "p.id = 'axe-probe-2'; p.textContent = 'faint text'; p.style.color = '#777777';"
            + "p.style.background = '#888888'; document.querySelector('main').appendChild(p);");
        String probe = String.join("\n", Axe.violations(d));
        assertTrue(probe.contains("label") && probe.contains("#axe-probe") && probe.contains("color-contrast"), probe);
        ((JavascriptExecutor) d).executeScript("document.getElementById('axe-probe').remove();"
            + "document.getElementById('axe-probe-2').remove();");
        check(found, d, scheme, "create: error", () -> d.findElement(By.id("create")).click());
        check(found, d, scheme, "create: filled, more options", () -> {
          WebPageBrowserIT.typeInto(d, "secret-text", "s3cr3t");
          WebPageBrowserIT.typeInto(d, "passphrase", "a passphrase");
          d.findElement(By.id("kind-file")).click();
          d.findElement(By.id("kind-text")).click();
        });
        check(found, d, scheme, "create: progress", () -> ((JavascriptExecutor) d).executeScript(
            "document.getElementById('progress-box').hidden = false;"
                + "document.getElementById('progress').value = 0.4;"
                + "document.getElementById('progress-text').textContent = 'Encrypted and uploaded 4 MB';"));
        String[] link = new String[1];
        check(found, d, scheme, "created, QR shown", () -> {
          link[0] = share(d, base, "axe " + scheme);
          d.findElement(By.id("show-qr")).click();
          d.findElement(By.id("copy-link")).click();
        });
        String receipt = d.findElement(By.id("receipt-link")).getAttribute("value");
        check(found, r, scheme, "reveal: before", () -> {
          r.get(link[0]);
          WebPageBrowserIT.waitOn(r).until(ExpectedConditions.elementToBeClickable(By.id("reveal")));
        });
        check(found, r, scheme, "reveal: after", () -> {
          r.findElement(By.id("reveal")).click();
          WebPageBrowserIT.waitOn(r).until(ExpectedConditions.visibilityOfElementLocated(By.id("secret")));
        });
        check(found, r, scheme, "reveal: gone", () -> {
          r.get("about:blank");
          r.get(link[0]);
          WebPageBrowserIT.waitOn(r).until(ExpectedConditions.visibilityOfElementLocated(By.id("gone")));
        });
        check(found, r, scheme, "reveal: wrong passphrase", () -> {
          String pass = PageForEveryoneBrowserIT.passphraseLink(d);
          r.get(pass);
          WebPageBrowserIT.waitOn(r).until(ExpectedConditions.visibilityOfElementLocated(By.id("passphrase")));
          r.findElement(By.id("passphrase")).sendKeys("wrong");
          r.findElement(By.id("reveal")).click();
          WebPageBrowserIT.waitOn(r).until(ExpectedConditions.visibilityOfElementLocated(By.id("error")));
        });
        check(found, d, scheme, "receipt: opened", () -> {
          d.get(receipt);
          WebPageBrowserIT.waitOn(d).until(ExpectedConditions.visibilityOfElementLocated(By.id("details")));
        });
        check(found, d, scheme, "ask: empty", () -> {
          d.get(base + "ask");
          ready(d);
        });
        String[] asked = new String[3];
        check(found, d, scheme, "ask: links", () -> {
          d.findElement(By.id("ask")).click();
          WebPageBrowserIT.waitOn(d).until(ExpectedConditions.visibilityOfElementLocated(By.id("result")));
          asked[0] = d.findElement(By.id("fill-link")).getAttribute("value");
          asked[2] = d.findElement(By.id("request-receipt")).getAttribute("value");
        });
        // after a share and a request in this browser: nothing kept but, at most, the chosen language
        assertEquals(0L, ((JavascriptExecutor) d).executeScript("return Object.keys(localStorage)"
            + ".filter(k => k !== 'ots.lang').length + sessionStorage.length"), "browser storage holds no key or link");
        check(found, r, scheme, "answer: form", () -> {
          r.get(asked[0]);
          WebPageBrowserIT.waitOn(r).until(ExpectedConditions.visibilityOfElementLocated(By.id("answer-form")));
        });
        check(found, r, scheme, "answer: sent", () -> {
          WebPageBrowserIT.typeInto(r, "secret-text", "the answer");
          r.findElement(By.id("send")).click();
          WebPageBrowserIT.waitOn(r).until(ExpectedConditions.visibilityOfElementLocated(By.id("result")));
        });
        check(found, r, scheme, "answer: answered already", () -> {
          r.get("about:blank");
          r.get(asked[0]);
          WebPageBrowserIT.waitOn(r).until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"),
              "answered already"));
        });
        check(found, d, scheme, "request receipt", () -> {
          d.get(asked[2]);
          WebPageBrowserIT.waitOn(d).until(ExpectedConditions.elementToBeClickable(By.id("refresh")));
        });
      } finally {
        d.quit();
        r.quit();
      }
    }
    WebDriver b = browser("axe-branded", "en", 1280, 900);
    try {
      check(found, b, "light", "branded create", () -> {
        b.get("http://127.0.0.1:" + branded.port() + "/");
        ready(b);
        WebPageBrowserIT.waitOn(b).until(ExpectedConditions.visibilityOfElementLocated(By.id("site-footer")));
      });
    } finally {
      b.quit();
    }
    assertEquals(List.of(), found, "axe violations");
  }

  interface Step {
    void run() throws Exception;
  }

  static void check(List<String> found, WebDriver d, String scheme, String state, Step step) throws Exception {
    step.run();
    for (String v : Axe.violations(d)) {
      found.add(scheme + " / " + state + ": " + v);
    }
  }

  /** A passphrase secret made over the API, for the wrong-passphrase state. */
  static String passphraseLink(WebDriver d) throws Exception {
    java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "api/secrets"))
            .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                "{\"text\":\"x\",\"passphrase\":\"correct horse\"}")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    return new ObjectMapper().readTree(r.body()).get("link").asText();
  }

  static void tabTo(WebDriver d, String id) {
    for (int i = 0; i < 40; i++) {
      Object active = ((JavascriptExecutor) d).executeScript("return document.activeElement && document.activeElement.id");
      if (id.equals(active)) {
        return;
      }
      new Actions(d).sendKeys(Keys.TAB).perform();
    }
    throw new AssertionError("Tab never reached #" + id);
  }

  @Test
  void aKeyboardAloneSharesAndOpensASecretWithVisibleFocus() throws Exception {
    WebDriver sender = browser("keys", "en", 1280, 900);
    WebDriver receiver = browser("keys-r", "en", 1280, 900);
    try {
      sender.get(base);
      ready(sender);
      tabTo(sender, "secret-text");
      new Actions(sender).sendKeys("typed without a mouse").perform();
      tabTo(sender, "create");
      String outline = (String) ((JavascriptExecutor) sender).executeScript(
          "return getComputedStyle(document.activeElement).outlineStyle");
      assertEquals("solid", outline, "the focused control shows where the focus is");
      new Actions(sender).sendKeys(Keys.ENTER).perform();
      WebPageBrowserIT.waitOn(sender).until(ExpectedConditions.visibilityOfElementLocated(By.id("result")));
      assertEquals("result-heading", ((JavascriptExecutor) sender).executeScript("return document.activeElement.id"),
          "the focus moves to the result");
      WebPageBrowserIT.waitOn(sender).until(ExpectedConditions.textToBePresentInElementLocated(By.id("announcer"),
          "Your one-time link is ready."));
      tabTo(sender, "copy-link");
      new Actions(sender).sendKeys(Keys.ENTER).perform();
      WebPageBrowserIT.waitOn(sender).until(ExpectedConditions.textToBe(By.id("copy-link"), "Link copied"));
      WebPageBrowserIT.waitOn(sender).until(ExpectedConditions.textToBePresentInElementLocated(By.id("announcer"),
          "Link copied"));
      tabTo(sender, "show-qr");
      new Actions(sender).sendKeys(Keys.SPACE).perform();
      WebPageBrowserIT.waitOn(sender).until(ExpectedConditions.visibilityOfElementLocated(By.id("qr")));
      String link = sender.findElement(By.id("link")).getAttribute("value");

      receiver.get(link);
      WebPageBrowserIT.waitOn(receiver).until(ExpectedConditions.elementToBeClickable(By.id("reveal")));
      tabTo(receiver, "reveal");
      new Actions(receiver).sendKeys(Keys.ENTER).perform();
      WebPageBrowserIT.waitOn(receiver).until(ExpectedConditions.visibilityOfElementLocated(By.id("secret")));
      assertEquals("typed without a mouse", receiver.findElement(By.id("secret")).getAttribute("value"));
      assertEquals("status", ((JavascriptExecutor) receiver).executeScript("return document.activeElement.id"),
          "the focus moves to what happened");
    } finally {
      sender.quit();
      receiver.quit();
    }
  }

  @Test
  void theQrCodeDecodesToTheExactLink() throws Exception {
    WebDriver d = browser("qr", "en", 1280, 900);
    try {
      for (String secret : List.of("short", "x".repeat(300))) {
        String link = share(d, base, secret);
        d.findElement(By.id("show-qr")).click();
        WebPageBrowserIT.waitOn(d).until(ExpectedConditions.visibilityOfElementLocated(By.id("qr")));
        // the canvas's own pixels (issue 36, finding 13), not a screenshot: a busy machine's screenshot could catch a
        // scaled or half-painted frame; the encoder's drawing itself is what must decode
        String dataUrl = (String) ((JavascriptExecutor) d).executeScript(
            "return document.getElementById('qr').toDataURL('image/png');");
        byte[] png = java.util.Base64.getDecoder().decode(dataUrl.substring(dataUrl.indexOf(',') + 1));
        java.awt.image.BufferedImage drawn = javax.imageio.ImageIO.read(new ByteArrayInputStream(png));
        // on a white margin of its own width (the quiet zone a reader needs, whatever the page's padding)
        int m = Math.max(16, drawn.getWidth() / 8);
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(drawn.getWidth() + 2 * m,
            drawn.getHeight() + 2 * m, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = img.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.drawImage(drawn, m, m, null);
        g.dispose();
        com.google.zxing.Result r = new com.google.zxing.qrcode.QRCodeReader().decode(new com.google.zxing.BinaryBitmap(
            new com.google.zxing.common.HybridBinarizer(new com.google.zxing.client.j2se.BufferedImageLuminanceSource(
                img))));
        assertEquals(link, r.getText(), "ZXing reads the link, key included, from the page's QR code");
        d.findElement(By.id("another")).click();
      }
      WebPageBrowserIT.assertNoCspViolations(d);
    } finally {
      d.quit();
    }
  }

  @Test
  void narrowScreensAndDoubleZoomNeedNoSidewaysScrolling() throws Exception {
    for (int width : List.of(320, 640)) { // 640 CSS px: a 1280 px window at 200% zoom
      WebDriver d = browser("narrow-" + width, "en", 1024, 800);
      try {
        viewport(d, width, 800, width < 400);
        String link = share(d, base, "narrow");
        List<String> pages = List.of(base, base + "ask", link, base + "r/" + "A".repeat(22) + "#" + "B".repeat(43),
            base + "a/" + "A".repeat(22) + "#" + "C".repeat(22));
        for (String page : pages) {
          d.get("about:blank");
          d.get(page);
          ready(d);
          if (page.equals(base)) {
            WebPageBrowserIT.typeInto(d, "secret-text", "x");
            d.findElement(By.id("create")).click();
            WebPageBrowserIT.waitOn(d).until(ExpectedConditions.visibilityOfElementLocated(By.id("result")));
            d.findElement(By.id("show-qr")).click();
          }
          assertEquals(width, ((Number) ((JavascriptExecutor) d).executeScript(
              "return document.documentElement.clientWidth")).intValue(), "the viewport is " + width + " px");
          Number overflow = (Number) ((JavascriptExecutor) d).executeScript(
              "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
          assertTrue(overflow.intValue() <= 0, page + " at " + width + " px scrolls sideways by " + overflow);
        }
      } finally {
        d.quit();
      }
    }
  }

  @Test
  void theOperatorsNameLogoColourAndFooterAreOnThePageUnderTheSameCsp() throws Exception {
    WebDriver d = browser("brand", "en", 1280, 900);
    try {
      d.get("http://127.0.0.1:" + branded.port() + "/");
      WebPageBrowserIT.watchCsp(d);
      ready(d);
      WebPageBrowserIT.waitOn(d).until(ExpectedConditions.textToBe(By.tagName("h1"), "Acme Secrets"));
      assertTrue(d.getTitle().startsWith("Acme Secrets"), d.getTitle());
      assertEquals("rgba(170, 0, 0, 1)", d.findElement(By.id("create")).getCssValue("background-color"));
      assertEquals("rgba(255, 255, 255, 1)", d.findElement(By.id("create")).getCssValue("color"),
          "white text: it contrasts with the dark red");
      WebPageBrowserIT.waitOn(d).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".logo")));
      assertTrue(((Number) ((JavascriptExecutor) d).executeScript(
          "return document.querySelector('.logo').naturalWidth")).intValue() > 0, "the logo loaded");
      assertTrue(text(d, "site-footer").contains("Operated by Acme Ltd. for its customers."));
      assertEquals("https://acme.example/imprint", d.findElement(By.linkText("Imprint")).getAttribute("href"));
      WebPageBrowserIT.assertNoCspViolations(d);
      String csp = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create("http://127.0.0.1:" + branded.port() + "/")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).headers().firstValue("Content-Security-Policy").orElse("");
      assertTrue(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), csp);
    } finally {
      d.quit();
    }
  }

  @Test
  void screenshotsForTheReadme() throws Exception {
    Files.createDirectories(SHOTS);
    for (String scheme : List.of("light", "dark")) {
      for (String device : List.of("desktop", "phone")) {
        int w = device.equals("desktop") ? 1280 : 390;
        int h = device.equals("desktop") ? 860 : 844;
        WebDriver d = browser("shot-" + scheme + device, "en", w, h);
        WebDriver r = browser("shot-r-" + scheme + device, "en", w, h);
        try {
          viewport(d, w, h, device.equals("phone"));
          viewport(r, w, h, device.equals("phone"));
          Axe.colourScheme(d, scheme);
          Axe.colourScheme(r, scheme);
          d.get(base);
          ready(d);
          WebPageBrowserIT.typeInto(d, "secret-text", "The database password is in here.");
          save(d, "create-" + device + "-" + scheme);
          d.findElement(By.id("create")).click();
          WebPageBrowserIT.waitOn(d).until(ExpectedConditions.visibilityOfElementLocated(By.id("result")));
          d.findElement(By.id("show-qr")).click();
          save(d, "created-" + device + "-" + scheme);
          r.get(d.findElement(By.id("link")).getAttribute("value"));
          WebPageBrowserIT.waitOn(r).until(ExpectedConditions.elementToBeClickable(By.id("reveal")));
          r.findElement(By.id("reveal")).click();
          WebPageBrowserIT.waitOn(r).until(ExpectedConditions.visibilityOfElementLocated(By.id("secret")));
          save(r, "reveal-" + device + "-" + scheme);
        } finally {
          d.quit();
          r.quit();
        }
      }
    }
  }

  static void save(WebDriver d, String name) throws Exception {
    ((JavascriptExecutor) d).executeScript("document.activeElement && document.activeElement.blur();"
        + "window.scrollTo(0, 0)");
    Files.write(SHOTS.resolve(name + ".png"), ((ChromeDriver) d).getScreenshotAs(OutputType.BYTES));
  }
}
