package io.onetimeshare.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.onetimeshare.ApiTokens;
import io.onetimeshare.OneTimeShare;
import io.onetimeshare.memory.InMemoryRateLimiter;
import io.onetimeshare.memory.InMemoryTokenStore;
import io.onetimeshare.spi.Creation;
import io.onetimeshare.spi.RateLimit;
import io.onetimeshare.spi.ShareEvents;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.catalina.Context;
import org.apache.catalina.authenticator.BasicAuthenticator;
import org.apache.catalina.realm.GenericPrincipal;
import org.apache.catalina.realm.RealmBase;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.LoginConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Who may create (issue 21) in a real Tomcat with its own authentication (BASIC against a realm, preemptive): the
 * container's principal and roles decide through {@link CreatePolicy#inRole}, API tokens through
 * {@link CreatePolicy#apiTokens}, either of the two together; opening stays anonymous.
 */
class CreateAccessTomcatTest {
  private final List<Creation> created = new CopyOnWriteArrayList<>();
  private final OneTimeShare ots = OneTimeShare.builder().maxContentBytes(64 * 1024).minUploadSegmentSize(1024)
      .argon2(io.onetimeshare.crypto.Argon2idParameters.owaspMinimum()).events(new ShareEvents() {
        @Override
        public void createdBy(Creation c) {
          created.add(c);
        }
      }).build();
  private final InMemoryTokenStore tokenStore = new InMemoryTokenStore();
  private final ApiTokens tokens = ApiTokens.on(tokenStore);
  private final HttpClient http = HttpClient.newHttpClient();
  private Tomcat tomcat;
  private String base;

  /** A realm of two users: alice may create (role ots-creator), bob may not. */
  static final class TwoUsers extends RealmBase {
    @Override
    protected String getPassword(String username) {
      return switch (username) {
        case "alice" -> "alice-pass";
        case "bob" -> "bob-pass";
        default -> null;
      };
    }

    @Override
    protected java.security.Principal getPrincipal(String username) {
      return new GenericPrincipal(username, username.equals("alice") ? List.of("ots-creator") : List.of());
    }
  }

  @BeforeEach
  void up() throws Exception {
    tomcat = new Tomcat();
    tomcat.setBaseDir(Files.createTempDirectory("ots-tomcat-auth").toString());
    tomcat.setHostname("127.0.0.1");
    tomcat.setPort(0);
    tomcat.getConnector().setProperty("address", "127.0.0.1");
    Context ctx = tomcat.addContext("", null);
    ctx.setRealm(new TwoUsers());
    LoginConfig login = new LoginConfig();
    login.setAuthMethod("BASIC");
    login.setRealmName("OneTimeShare");
    ctx.setLoginConfig(login);
    ctx.getPipeline().addValve(new BasicAuthenticator());
    ctx.setPreemptiveAuthentication(true); // credentials sent are checked even where no constraint asks for them
    ctx.addSecurityRole("ots-creator");
    ServletSettings settings = ServletSettings.builder()
        .createLimiter(InMemoryRateLimiter.builder(RateLimit.parse("6/1h")).build())
        .createPolicy(CreatePolicy.either(CreatePolicy.inRole("ots-creator"), CreatePolicy.apiTokens(tokens)))
        .build();
    Tomcat.addServlet(ctx, "ots", new OneTimeShareServlet(ots, settings));
    ctx.addServletMapping("/*", "ots");
    tomcat.start();
    base = "http://127.0.0.1:" + tomcat.getConnector().getLocalPort();
  }

  @AfterEach
  void down() throws Exception {
    tomcat.stop();
    tomcat.destroy();
    ots.close();
  }

  private HttpResponse<String> createJson(String authorization) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/api/secrets"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"hi\"}"));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String basic(String user, String pass) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + pass).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void everyCreatePathRefusesAnAnonymousCallerWith401AndAChallenge() throws Exception {
    List<HttpRequest> paths = List.of(
        HttpRequest.newBuilder(URI.create(base + "/api/secrets")).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"hi\"}")).build(),
        HttpRequest.newBuilder(URI.create(base + "/api/secrets")).header("Content-Type",
            "multipart/form-data; boundary=zz").POST(HttpRequest.BodyPublishers.ofString(
                "--zz\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nhi\r\n--zz--\r\n")).build(),
        HttpRequest.newBuilder(URI.create(base + "/api/secrets")).header("Content-Type", "application/octet-stream")
            .POST(HttpRequest.BodyPublishers.ofString("hi")).build(),
        HttpRequest.newBuilder(URI.create(base + "/api/uploads")).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"segmentSize\":65536}")).build());
    for (HttpRequest r : paths) {
      HttpResponse<String> a = http.send(r, HttpResponse.BodyHandlers.ofString());
      assertEquals(401, a.statusCode(), r.uri() + " " + r.headers() + ": " + a.body());
      assertTrue(a.body().contains("\"error\":\"unauthenticated\""), a.body());
      String challenge = a.headers().firstValue("WWW-Authenticate").orElseThrow();
      assertTrue(challenge.contains("Basic realm=") && challenge.contains("Bearer realm="), challenge);
    }
    assertTrue(created.isEmpty(), "nothing was created: " + created);
  }

  @Test
  void theContainersPrincipalCreatesAndIsRecordedWhileOpeningStaysAnonymous() throws Exception {
    HttpResponse<String> ok = createJson(basic("alice", "alice-pass"));
    assertEquals(201, ok.statusCode(), ok.body());
    assertEquals(1, created.size());
    Creation c = created.get(0);
    assertEquals("principal:alice", c.creator());
    assertTrue(c.idDigest().matches("[0-9a-f]{12}"), c.idDigest());
    String id = ok.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
    String key = ok.body().replaceAll(".*\"key\":\"([^\"]+)\".*", "$1");
    assertFalse(c.toString().contains(id), "the audit record never holds the id");
    HttpResponse<String> open = http.send(HttpRequest.newBuilder(URI.create(base + "/api/secrets/" + id + "/open"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
            "{\"key\":\"" + key + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, open.statusCode(), "anyone with the link opens");
    assertEquals("hi", open.body());

    HttpResponse<String> bob = createJson(basic("bob", "bob-pass"));
    assertEquals(403, bob.statusCode(), bob.body());
    assertTrue(bob.body().contains("\"error\":\"forbidden\"") && bob.body().contains("signed in as bob"),
        bob.body());
    HttpResponse<String> session = http.send(HttpRequest.newBuilder(URI.create(base + "/api/session"))
        .header("Authorization", basic("bob", "bob-pass")).build(), HttpResponse.BodyHandlers.ofString());
    assertTrue(session.body().contains("\"create\":\"forbidden\"") && session.body().contains("\"user\":\"bob\""),
        session.body());
  }

  /**
   * Issue 36, finding 5: the container's credentials are sent by the browser whatever page asks, so a create from
   * another site's page is refused (Sec-Fetch-Site, else Origin); this site's own pages and scripts (no such headers)
   * still create.
   */
  @Test
  void aCreateFromAnotherSitesPageIsRefusedWhateverTheContainersCredentials() throws Exception {
    int before = created.size();
    for (String[] h : new String[][] {{"Sec-Fetch-Site", "cross-site"}, {"Sec-Fetch-Site", "same-site"},
        {"Origin", "https://evil.example"}, {"Origin", "null"}}) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/secrets"))
          .header("Content-Type", "application/json").header("Authorization", basic("alice", "alice-pass"))
          .header(h[0], h[1]).POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"hi\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(403, r.statusCode(), h[0] + ": " + h[1] + " " + r.body());
      assertTrue(r.body().contains("another site's page"), r.body());
    }
    assertEquals(before, created.size(), "nothing was created from another site");
    for (String[] h : new String[][] {{"Sec-Fetch-Site", "same-origin"}, {"Origin", base}}) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/secrets"))
          .header("Content-Type", "application/json").header("Authorization", basic("alice", "alice-pass"))
          .header(h[0], h[1]).POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"hi\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(201, r.statusCode(), h[0] + ": " + h[1] + " " + r.body());
    }
  }

  @Test
  void tokensCreateWithTheirOwnBudgetAndWrongOnesCostTheAddresss() throws Exception {
    ApiTokens.Issued ci = tokens.issue("ci", Duration.ofDays(1));
    for (int i = 0; i < 6; i++) {
      HttpResponse<String> r = createJson("Bearer " + ci.token());
      assertEquals(201, r.statusCode(), r.body());
    }
    assertEquals(429, createJson("Bearer " + ci.token()).statusCode(), "the token's own budget is spent");
    assertTrue(created.stream().allMatch(c -> c.creator().equals("token:ci")));
    // the address still has its whole budget: the token's creates were not charged to it
    String wrong = "Bearer ots_" + "A".repeat(43);
    for (int i = 0; i < 6; i++) {
      HttpResponse<String> r = createJson(wrong);
      assertEquals(401, r.statusCode(), r.body());
      assertTrue(r.headers().firstValue("WWW-Authenticate").orElseThrow().contains("error=\"invalid_token\""));
      assertTrue(r.body().contains("not known here"), r.body());
    }
    HttpResponse<String> limited = createJson(wrong);
    assertEquals(429, limited.statusCode(), "guessing tokens is rate limited: " + limited.body());
    assertEquals(201, createJson(basic("alice", "alice-pass")).statusCode(),
        "a signed-in person has her own budget, not the address's");
  }

  @Test
  void aRevokedTokenIsRefusedAtOnce() throws Exception {
    ApiTokens.Issued t = tokens.issue("deploy", Duration.ofDays(1));
    assertEquals(201, createJson("Bearer " + t.token()).statusCode());
    assertTrue(tokens.revoke("deploy"));
    HttpResponse<String> r = createJson("Bearer " + t.token());
    assertEquals(401, r.statusCode());
  }
}
