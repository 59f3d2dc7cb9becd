package io.onetimeshare.examples.war;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WAR as an operator deploys it: Debian's {@code tomcat10} package (Tomcat 10.1, Servlet 6.0) installed with apt,
 * a Tomcat instance made with the package's {@code tomcat10-instance-create} on free ports, the WAR copied as-is into
 * its {@code webapps/}, Tomcat started with the package's {@code catalina.sh}; then a create and an open through
 * Tomcat's own port, with the same security headers and error JSON as the standalone server.
 */
class TomcatWarIT {
  static final Path CATALINA_HOME = Path.of("/usr/share/tomcat10");
  static final Path WAR = Path.of("target", "onetimeshare.war");
  static final Map<String, String> SECURITY_HEADERS = Map.of(
      "Cache-Control", "no-store",
      "X-Content-Type-Options", "nosniff",
      "Referrer-Policy", "no-referrer",
      "X-Frame-Options", "DENY",
      "Cross-Origin-Opener-Policy", "same-origin");
  @TempDir
  Path tmp;

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
    return m.find() ? m.group(1) : null;
  }

  static void run(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, cmd + " failed:\n" + out);
  }

  static String basic(String user) {
    return "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + user + "-pass")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  static void assertLikeTheStandaloneServer(HttpResponse<String> r) {
    SECURITY_HEADERS.forEach((h, v) -> assertEquals(v, r.headers().firstValue(h).orElse(""), h));
    assertTrue(r.headers().firstValue("Content-Security-Policy").orElse("").startsWith("default-src 'none'"));
  }

  @Test
  void theWarRunsInDebiansTomcat10() throws Exception {
    assumeTrue(Files.isExecutable(CATALINA_HOME.resolve("bin/catalina.sh")),
        "Debian's tomcat10 is not installed (bin/test installs it with apt-get install tomcat10 tomcat10-user)");
    assumeTrue(Files.isRegularFile(WAR), "the WAR is built by mvn package first");
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    // a free port can be taken by someone else between finding it and Tomcat binding it: then again, on new ports
    Process tomcat = null;
    String root = null;
    for (int attempt = 1; tomcat == null; attempt++) {
      int http = freePort();
      Path base = instance(attempt, http, freePort());
      Path log = tmp.resolve("catalina-" + attempt + ".out");
      ProcessBuilder pb = new ProcessBuilder(CATALINA_HOME.resolve("bin/catalina.sh").toString(), "run")
          .redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().put("CATALINA_HOME", CATALINA_HOME.toString());
      pb.environment().put("CATALINA_BASE", base.toString());
      pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
      Process p = pb.start();
      String r = "http://127.0.0.1:" + http + "/ots";
      if (deployed(client, p, r, log)) {
        tomcat = p;
        root = r;
      } else {
        stop(p);
        assertTrue(attempt < 3 && Files.readString(log).contains("Address already in use"),
            "Tomcat did not deploy the WAR:\n" + Files.readString(log));
      }
    }
    try {
      HttpRequest.Builder create = HttpRequest.newBuilder(URI.create(root + "/api/secrets"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"from Tomcat 10.1\"}"));
      HttpResponse<String> anonymous = client.send(create.build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(401, anonymous.statusCode(), anonymous.body());
      assertTrue(anonymous.body().startsWith("{\"error\":\"unauthenticated\""), anonymous.body());
      assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"));
      HttpResponse<String> bob = client.send(create.copy().header("Authorization", basic("bob")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(403, bob.statusCode(), "bob is not in the role: " + bob.body());
      assertTrue(bob.body().contains("ots-creator"), bob.body());
      HttpResponse<String> created = client.send(create.copy().header("Authorization", basic("alice")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(201, created.statusCode(), created.body());
      assertLikeTheStandaloneServer(created);
      assertTrue(field(created.body(), "link").startsWith(root + "/s/"), "links carry the context path");
      HttpRequest.Builder open = HttpRequest.newBuilder(URI.create(root + "/api/secrets/" + field(created.body(), "id")
          + "/open")).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"" + field(created.body(), "key") + "\"}"));
      HttpResponse<String> opened = client.send(open.build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, opened.statusCode());
      assertEquals("from Tomcat 10.1", opened.body());
      assertTrue(opened.headers().firstValue("RateLimit-Limit").isPresent(), "the init-parameter limits apply");
      HttpResponse<String> again = client.send(open.build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(404, again.statusCode());
      assertTrue(again.body().startsWith("{\"error\":\"not_found\""), again.body());
      HttpResponse<String> bad = client.send(HttpRequest.newBuilder(URI.create(root + "/api/secrets/short")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(400, bad.statusCode());
      assertTrue(bad.body().startsWith("{\"error\":\"invalid_id\""), bad.body());
      assertLikeTheStandaloneServer(bad);
      assertEquals(401, client.send(HttpRequest.newBuilder(URI.create(root + "/")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode(), "the create page asks for Tomcat's sign-in");
      HttpResponse<String> page = client.send(HttpRequest.newBuilder(URI.create(root + "/"))
          .header("Authorization", basic("alice")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, page.statusCode());
      HttpResponse<String> reveal = client.send(HttpRequest.newBuilder(URI.create(root + "/s/"
          + "A".repeat(22))).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, reveal.statusCode(), "a receiver needs no account");
      assertLikeTheStandaloneServer(page);
    } finally {
      stop(tomcat);
    }
  }

  /** A Tomcat instance on these ports with the WAR and the container's own users (issue 21: alice may create). */
  private Path instance(int attempt, int http, int control) throws Exception {
    Path base = tmp.resolve("instance-" + attempt);
    run(List.of("tomcat10-instance-create", "-p", Integer.toString(http), "-c", Integer.toString(control),
        base.toString()));
    Files.copy(WAR, base.resolve("webapps/ots.war"), StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(base.resolve("conf/tomcat-users.xml"), """
        <?xml version="1.0" encoding="UTF-8"?>
        <tomcat-users xmlns="http://tomcat.apache.org/xml" version="1.0">
          <role rolename="ots-creator"/>
          <user username="alice" password="alice-pass" roles="ots-creator"/>
          <user username="bob" password="bob-pass" roles=""/>
        </tomcat-users>
        """);
    return base;
  }

  /** Polls /health until the WAR answers (true), Tomcat dies, fails to bind, or 90 s pass (false). */
  private static boolean deployed(HttpClient client, Process tomcat, String root, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline && tomcat.isAlive()) {
      try {
        if (client.send(HttpRequest.newBuilder(URI.create(root + "/health")).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
          return true;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      if (Files.readString(log).contains("Address already in use")) {
        return false;
      }
      Thread.sleep(200); // polling Tomcat's start-up, bounded by the deadline above
    }
    return false;
  }

  private static void stop(Process tomcat) throws InterruptedException {
    tomcat.toHandle().destroy();
    tomcat.waitFor(30, TimeUnit.SECONDS);
    if (tomcat.isAlive()) {
      tomcat.destroyForcibly();
    }
  }
}
