package io.onetimeshare.examples.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real OpenID provider for the sign-in tests (issue 21): Keycloak's distribution (unpacked by Maven under target/),
 * started once per test JVM on the Temurin 25 JDK, on free loopback ports, with the test realms of
 * {@code src/test/resources/keycloak} imported; stopped when the JVM exits. Users: alice@example.com (verified, in
 * ots-creators), carol@example.com (verified, no group), eve@example.com (not verified), mallory@other.org; each one's
 * password is {@code <name>-pass}.
 */
public final class KeycloakProcess {
  private static KeycloakProcess shared;
  public final String base;
  private final Process process;

  private KeycloakProcess(String base, Process process) {
    this.base = base;
    this.process = process;
  }

  public String issuer(String realm) {
    return base + "/realms/" + realm;
  }

  public static synchronized KeycloakProcess shared() throws Exception {
    if (shared == null) {
      shared = start();
      KeycloakProcess k = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(k::stop, "keycloak-stop"));
    }
    return shared;
  }

  private static Path home() {
    String p = System.getProperty("ots.keycloak.home");
    Path h = p != null ? Path.of(p) : Path.of("target/keycloak/keycloak-26.7.3");
    if (!Files.isExecutable(h.resolve("bin/kc.sh"))) {
      throw new IllegalStateException("Keycloak is not unpacked at " + h + " (mvn verify unpacks it)");
    }
    return h;
  }

  private static Path java25() throws IOException {
    try (Stream<Path> jvms = Files.list(Path.of("/usr/lib/jvm"))) {
      return jvms.filter(j -> j.getFileName().toString().startsWith("temurin-25")).findFirst()
          .orElseThrow(() -> new IllegalStateException("Keycloak 26 needs Java 21+; no /usr/lib/jvm/temurin-25*"));
    }
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static KeycloakProcess start() throws Exception {
    Path home = home();
    Path imports = Files.createDirectories(home.resolve("data/import"));
    for (String realm : List.of("ots-test-realm.json", "ots-other-realm.json")) {
      try (InputStream in = KeycloakProcess.class.getResourceAsStream("/keycloak/" + realm)) {
        Files.copy(in, imports.resolve(realm), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    int port = freePort();
    int management = freePort();
    ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/kc.sh").toString(), "start-dev",
        "--http-port=" + port, "--http-host=127.0.0.1", "--http-management-port=" + management,
        "--import-realm", "--log-level=warn")
        .redirectErrorStream(true).redirectOutput(home.resolveSibling("keycloak.log").toFile());
    pb.environment().put("JAVA_HOME", java25().toString());
    pb.environment().put("JAVA_OPTS_APPEND", "-Xms64m");
    Process p = pb.start();
    KeycloakProcess k = new KeycloakProcess("http://127.0.0.1:" + port, p);
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException("Keycloak exited; see " + home.resolveSibling("keycloak.log"));
      }
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(k.issuer("ots-test")
            + "/.well-known/openid-configuration")).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return k;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(500);
    }
    k.stop();
    throw new IllegalStateException("Keycloak did not answer its discovery document within 240 s");
  }

  void stop() {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static final Pattern FORM = Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"");

  /**
   * Signs {@code user} in on the provider's own login form, given the page that form is on; returns the redirect
   * the provider answers with (to the client's redirect URI, with code and state).
   */
  public static URI submitLogin(HttpClient http, URI loginPage, String user) throws Exception {
    HttpResponse<String> form = http.send(HttpRequest.newBuilder(loginPage).build(),
        HttpResponse.BodyHandlers.ofString());
    // Keycloak marks its cookies Secure; a browser sends them to http://127.0.0.1 (a secure context), Java's
    // CookieManager would not: they are carried by hand
    String cookies = form.headers().allValues("Set-Cookie").stream()
        .flatMap(h -> java.net.HttpCookie.parse(h).stream()).map(c -> c.getName() + "=" + c.getValue())
        .collect(Collectors.joining("; "));
    Matcher m = FORM.matcher(form.body());
    if (!m.find()) {
      throw new IllegalStateException("no login form at " + loginPage + ": " + form.statusCode());
    }
    URI action = URI.create(m.group(1).replace("&amp;", "&"));
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(action)
        .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", cookies)
        .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("username", user, "password", user + "-pass",
            "credentialId", "")))).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 302) {
      throw new IllegalStateException("login of " + user + " answered " + r.statusCode() + ": "
          + r.body().replaceAll("\\s+", " ").replaceAll(".*<title>", "").substring(0, 200));
    }
    return URI.create(r.headers().firstValue("Location").orElseThrow());
  }

  static String form(Map<String, String> fields) {
    return fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
  }

  /**
   * A real ID token issued to {@code client} of {@code realm} for {@code user} through the Authorization Code flow
   * with PKCE and {@code nonce}, the test acting as the client: what a sign-in's callback would receive.
   */
  String idToken(String realm, String client, String secret, String user, String nonce) throws Exception {
    HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(
        java.security.SecureRandom.getInstanceStrong().generateSeed(32));
    String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
        MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    String redirect = "http://127.0.0.1:1/cb";
    URI auth = URI.create(issuer(realm) + "/protocol/openid-connect/auth?" + form(Map.of("response_type", "code",
        "client_id", client, "redirect_uri", redirect, "scope", "openid email profile", "state", "s-" + nonce,
        "nonce", nonce, "code_challenge", challenge, "code_challenge_method", "S256")));
    URI back = submitLogin(http, auth, user);
    String code = query(back, "code");
    HttpResponse<String> tokens = http.send(HttpRequest.newBuilder(URI.create(issuer(realm)
        + "/protocol/openid-connect/token")).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("grant_type", "authorization_code", "code", code,
            "redirect_uri", redirect, "client_id", client, "client_secret", secret, "code_verifier", verifier))))
        .build(), HttpResponse.BodyHandlers.ofString());
    Matcher m = Pattern.compile("\"id_token\":\"([^\"]+)\"").matcher(tokens.body());
    if (!m.find()) {
      throw new IllegalStateException("no ID token: " + tokens.statusCode());
    }
    return m.group(1);
  }

  public static String query(URI uri, String name) {
    for (String kv : uri.getRawQuery().split("&")) {
      int eq = kv.indexOf('=');
      if (kv.substring(0, eq).equals(name)) {
        return java.net.URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    throw new IllegalStateException("no " + name + " in " + uri);
  }
}
