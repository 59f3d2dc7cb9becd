package io.onetimeshare.spring.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.onetimeshare.examples.server.KeycloakProcess;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The example application driven as people use it (issue 39): a signed-in person creates through the application's
 * own Spring Security (OAuth2 login against a real Keycloak), with Spring's CSRF token; anyone opens the link once,
 * without an account; the store shows in {@code /actuator/health}. Shared by the single-node and Cluster tests.
 */
final class StarterFlow {
  private StarterFlow() {}

  /** What every test gives the example: the shared Keycloak as the application's OpenID provider. */
  static void keycloak(org.springframework.test.context.DynamicPropertyRegistry r) throws Exception {
    KeycloakProcess k = KeycloakProcess.shared();
    r.add("spring.security.oauth2.client.provider.keycloak.issuer-uri", () -> k.issuer("ots-test"));
    r.add("spring.security.oauth2.client.registration.keycloak.client-secret", () -> "ots-test-secret");
  }

  static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
    return m.find() ? m.group(1) : "";
  }

  /** A browser: its own cookies, redirects followed by hand (Keycloak's own cookies are carried by submitLogin). */
  static final class Browser {
    final CookieManager cookies = new CookieManager();
    final HttpClient http = HttpClient.newBuilder().cookieHandler(cookies)
        .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    final String base;

    Browser(int port) {
      this.base = "http://127.0.0.1:" + port;
    }

    HttpResponse<String> get(String path) throws Exception {
      return http.send(HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : base + path))
          .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Signs {@code user} in through the application's OAuth2 login: to Keycloak's form and back. */
    void signIn(String user) throws Exception {
      HttpResponse<String> start = get("/oauth2/authorization/keycloak");
      assertEquals(302, start.statusCode(), "OAuth2 login starts with a redirect to the provider");
      URI back = KeycloakProcess.submitLogin(http, URI.create(start.headers().firstValue("Location").orElseThrow()),
          user);
      HttpResponse<String> done = get(back.toString());
      assertEquals(302, done.statusCode(), "the application takes the code: " + done.body());
      assertFalse(done.headers().firstValue("Location").orElse("").contains("error"), "signed in");
    }

    String xsrf() {
      return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("XSRF-TOKEN"))
          .map(HttpCookie::getValue).findFirst().orElse("");
    }

    HttpResponse<String> create(String text, boolean withToken) throws Exception {
      return create(text, withToken, "same-origin");
    }

    HttpResponse<String> create(String text, boolean withToken, String fetchSite) throws Exception {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/share/api/secrets"))
          .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
          .header("Sec-Fetch-Site", fetchSite)
          .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"" + text + "\"}"));
      if (withToken) {
        b.header("X-XSRF-TOKEN", xsrf());
      }
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  /**
   * The starter's parts the flow relies on are there; otherwise what Spring Boot's condition report says of the
   * starter's auto-configurations.
   */
  static void partsPresent(org.springframework.context.ConfigurableApplicationContext context) {
    var report = org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport.get(
        context.getBeanFactory());
    StringBuilder why = new StringBuilder();
    report.getConditionAndOutcomesBySource().forEach((source, outcomes) -> {
      if (source.contains("OneTimeShare")) {
        outcomes.forEach(o -> why.append("\n").append(source).append(": ").append(o.getOutcome()));
      }
    });
    assertTrue(context.containsBean("oneTimeShareSecurityFilterChain"), "the starter's filter chain:" + why);
    var proxy = context.getBean(org.springframework.security.web.FilterChainProxy.class);
    StringBuilder order = new StringBuilder();
    proxy.getFilterChains().forEach(c -> order.append(" | ").append(c));
    assertTrue(proxy.getFilterChains().get(0) == context.getBean("oneTimeShareSecurityFilterChain"),
        "the starter's chain comes first:" + order);
    var probe = new org.springframework.mock.web.MockHttpServletRequest("POST", "/share/api/secrets");
    assertTrue(proxy.getFilterChains().get(0).matches(probe), "the starter's chain takes its path:" + order);
    assertTrue(context.containsBean("oneTimeShareHealthIndicator"), "the starter's health indicator:" + why);
  }

  /** The whole flow; answers the id of the secret created (opened already). */
  static String run(int port) throws Exception {
    Browser anonymous = new Browser(port);
    HttpResponse<String> health = anonymous.get("/actuator/health");
    assertEquals(200, health.statusCode(), health.body());
    assertTrue(health.body().matches("(?s).*\"oneTimeShare\":\\{\"status\":\"UP\".*"), "the store in the health: "
        + health.body());

    HttpResponse<String> api = new Browser(port).get("/share/api/secrets/AAAAAAAAAAAAAAAAAAAAAA");
    assertEquals(404, api.statusCode(), "the API answers without an account: " + api.body());
    // a client without cookies (a script, ots) carries no ambient authority: no CSRF token is asked of it
    HttpResponse<String> script = new Browser(port).create("nobody's", false);
    assertEquals(401, script.statusCode(), "the create policy asks for a sign-in: " + script.body());
    assertTrue(script.body().contains("Sign in to create secrets."), script.body());
    // a browser (it has this site's cookies) must send Spring's CSRF token, which the page reads from its cookie
    HttpResponse<String> page = anonymous.get("/share/");
    assertEquals(200, page.statusCode(), "the page opens without an account");
    // the servlet's own headers reach the browser (the starter's chain leaves them to it)
    assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src"),
        "the page's content security policy: " + page.headers().map());
    HttpResponse<String> forged = anonymous.create("nobody's", false);
    assertEquals(403, forged.statusCode(), "cookies without the CSRF token: " + forged.body());
    assertEquals("csrf_token", field(forged.body(), "error"));
    HttpResponse<String> anonymousCreate = anonymous.create("nobody's", true);
    assertEquals(401, anonymousCreate.statusCode(), "with the CSRF token but no sign-in: the create policy says no");
    assertTrue(anonymousCreate.body().contains("Sign in to create secrets."), anonymousCreate.body());

    Browser alice = new Browser(port);
    alice.signIn("alice");
    assertEquals(200, alice.get("/share/").statusCode());
    assertFalse(alice.xsrf().isEmpty(), "the page's response carries the XSRF-TOKEN cookie");
    assertEquals(403, alice.create("forged", false).statusCode(), "Spring Security's CSRF check: no token, no create");
    HttpResponse<String> crossSite = alice.create("from elsewhere", true, "cross-site");
    assertEquals(403, crossSite.statusCode(), "a create another site's page sent: " + crossSite.body());
    HttpResponse<String> created = alice.create("from a Boot app", true);
    assertEquals(201, created.statusCode(), created.body());
    String id = field(created.body(), "id");
    String key = field(created.body(), "key");

    // opened by someone without an account, once
    HttpClient stranger = HttpClient.newHttpClient();
    HttpRequest open = HttpRequest.newBuilder(URI.create(anonymous.base + "/share/api/secrets/" + id + "/open"))
        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(20))
        .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"" + key + "\"}")).build();
    HttpResponse<String> opened = stranger.send(open, HttpResponse.BodyHandlers.ofString());
    assertEquals(200, opened.statusCode(), opened.body());
    assertEquals("from a Boot app", opened.body());
    assertEquals(404, stranger.send(open, HttpResponse.BodyHandlers.ofString()).statusCode(), "exactly once");
    return id;
  }
}
