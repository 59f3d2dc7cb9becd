package io.onetimeshare.examples.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The page's sign-in in a real headless Chromium against a real Keycloak (issue 21): the person signs in through the
 * provider's own login form, sees who is signed in, creates, and signs out; someone outside the allowed domain sees
 * why they may not create. Nothing in the sign-in path is mocked.
 */
class SignInBrowserIT {
  static KeycloakProcess kc;
  static StandaloneServer server;
  static String base;
  @TempDir
  static Path dir;

  @BeforeAll
  static void start() throws Exception {
    kc = KeycloakProcess.shared();
    Path secret = Files.writeString(dir.resolve("client-secret"), "ots-test-secret");
    Path key = Files.writeString(dir.resolve("session-key"), "browser-" + "z".repeat(40));
    server = StandaloneServer.start(ServerOptions.parse(List.of("--port", "0", "--bind", "127.0.0.1", "--warmup",
        "off", "--rate-create", "off", "--rate-open", "off", "--create-access", "sign-in", "--oidc-issuer",
        kc.issuer("ots-test"), "--oidc-client-id", "ots", "--oidc-client-secret-file", secret.toString(),
        "--oidc-allowed-domains", "example.com", "--session-key-file", key.toString()).toArray(String[]::new),
        Map.of()));
    base = "http://127.0.0.1:" + server.port() + "/";
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static void signInOnTheProvidersForm(WebDriver d, String user) {
    WebPageBrowserIT.waitOn(d).until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in"))).click();
    WebPageBrowserIT.waitOn(d).until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
    assertTrue(d.getCurrentUrl().startsWith(kc.issuer("ots-test")), "on the provider's own page: "
        + d.getCurrentUrl());
    d.findElement(By.id("username")).sendKeys(user);
    d.findElement(By.id("password")).sendKeys(user + "-pass");
    d.findElement(By.id("kc-login")).click();
    WebPageBrowserIT.waitOn(d).until(ExpectedConditions.urlToBe(base));
  }

  @Test
  void signInCreateAndSignOutInChromium() throws Exception {
    WebDriver d = WebPageBrowserIT.browser("signin-alice");
    try {
      d.get(base);
      WebPageBrowserIT.waitOn(d).until(ExpectedConditions.textToBePresentInElementLocated(By.id("access-note"),
          "Sign in to create secrets"));
      assertFalse(d.findElement(By.id("create")).isEnabled(), "creating waits for the sign-in");
      signInOnTheProvidersForm(d, "alice");
      WebPageBrowserIT.waitOn(d).until(ExpectedConditions.textToBePresentInElementLocated(By.id("account-user"),
          "Signed in as alice@example.com"));
      assertTrue(d.findElement(By.id("create")).isEnabled());
      WebPageBrowserIT.watchCsp(d);
      d.findElement(By.id("secret-text")).sendKeys("signed-in secret");
      d.findElement(By.id("create")).click();
      WebPageBrowserIT.waitOn(d).until(ExpectedConditions.visibilityOfElementLocated(By.id("result")));
      String link = d.findElement(By.id("link")).getAttribute("value");
      assertTrue(link.startsWith(base + "s/") && link.contains("#"), link);
      WebPageBrowserIT.assertNoCspViolations(d);
      d.findElement(By.id("sign-out-button")).click();
      WebPageBrowserIT.waitOn(d).until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in")));
      assertTrue(d.findElement(By.id("sign-out")).getAttribute("hidden") != null, "signed out");
    } finally {
      d.quit();
    }
    // the link opens in another browser with no account at all
    WebDriver r = WebPageBrowserIT.browser("signin-receiver");
    try {
      r.get(base);
      WebPageBrowserIT.waitOn(r).until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in")));
    } finally {
      r.quit();
    }
  }

  @Test
  void someoneOutsideTheAllowedDomainSeesWhyInChromium() throws Exception {
    WebDriver d = WebPageBrowserIT.browser("signin-mallory");
    try {
      d.get(base);
      signInOnTheProvidersForm(d, "mallory");
      WebPageBrowserIT.waitOn(d).until(ExpectedConditions.textToBePresentInElementLocated(By.id("access-note"),
          "Only accounts of example.com"));
      assertEquals("Signed in as mallory@other.org", d.findElement(By.id("account-user")).getText());
      assertFalse(d.findElement(By.id("create")).isEnabled());
      // the reason, in the language the reader picks (issue 24): the server sends its catalog key and values
      new org.openqa.selenium.support.ui.Select(d.findElement(By.id("lang"))).selectByValue("de");
      WebPageBrowserIT.waitOn(d).until(ExpectedConditions.textToBePresentInElementLocated(By.id("access-note"),
          "Hier dürfen nur Konten von example.com Geheimnisse erstellen"));
      assertTrue(d.findElement(By.id("access-note")).getText().contains("mallory@other.org"));
      assertEquals("Angemeldet als mallory@other.org", d.findElement(By.id("account-user")).getText());
    } finally {
      d.quit();
    }
  }
}
