package io.onetimeshare.examples.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.onetimeshare.redis.RedisProcess;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signed webhooks end to end (issue 22): standalone servers on memory, file, Redis and a 3-primary Redis Cluster
 * notifying a receiver on loopback (allowed by the test's options), which verifies every signature with its own
 * Standard Webhooks code; callbacks on every create path; two instances delivering each event once; a server
 * killed while delivering; an expiry noticed after a restart with no request touching the secret.
 */
class NotificationsIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String OPS_SECRET = "whsec_" + Base64.getEncoder().encodeToString(
      "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
  final HttpClient http = HttpClient.newHttpClient();
  final List<AutoCloseable> closing = new ArrayList<>();
  HttpServer receiver;
  final List<Hit> hits = new ArrayList<>();
  volatile Predicate<Hit> hold = h -> false;
  final CountDownLatch release = new CountDownLatch(1);
  @TempDir
  Path tmp;

  record Hit(String path, Map<String, String> headers, byte[] body) {
    String header(String n) {
      return headers.getOrDefault(n, "");
    }

    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    String type() {
      return json().get("type").asText();
    }

    String secretId() {
      return json().get("data").get("id").asText();
    }

    /** The receiver's own Standard Webhooks check (HMAC-SHA256 over id.timestamp.body). */
    boolean signedWith(String secret) throws Exception {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring(6)), "HmacSHA256"));
      mac.update((header("webhook-id") + "." + header("webhook-timestamp") + ".").getBytes(StandardCharsets.UTF_8));
      return header("webhook-signature").equals("v1," + Base64.getEncoder().encodeToString(mac.doFinal(body)));
    }
  }

  @BeforeEach
  void receive() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    receiver.setExecutor(Executors.newCachedThreadPool());
    receiver.createContext("/", x -> {
      Map<String, String> h = new HashMap<>();
      x.getRequestHeaders().forEach((k, v) -> h.put(k.toLowerCase(Locale.ROOT), v.get(0)));
      Hit hit = new Hit(x.getRequestURI().getPath(), h, x.getRequestBody().readAllBytes());
      synchronized (hits) {
        hits.add(hit);
        hits.notifyAll();
      }
      if (hold.test(hit)) {
        try {
          release.await(2, TimeUnit.MINUTES); // a receiver that never answers while the test needs it so
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      x.sendResponseHeaders(204, -1);
      x.close();
    });
    receiver.start();
  }

  @AfterEach
  void stop() throws Exception {
    release.countDown();
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
    receiver.stop(0);
  }

  String url(String path) {
    return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
  }

  List<Hit> hits(Predicate<Hit> p) {
    synchronized (hits) {
      return hits.stream().filter(p).toList();
    }
  }

  List<Hit> await(Predicate<Hit> p, int n, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    synchronized (hits) {
      while (hits(p).size() < n && System.nanoTime() < deadline) {
        hits.wait(200);
      }
    }
    return hits(p);
  }

  static Predicate<Hit> at(String path) {
    return h -> h.path().equals(path);
  }

  /** The options every server here gets: loopback receivers allowed, the operator endpoint "ops" at /ops. */
  List<String> notifyArgs(String... more) {
    List<String> a = new ArrayList<>(List.of("--port", "0", "--bind", "127.0.0.1", "--warmup", "off",
        "--request-log", "off", "--rate-open", "off", "--rate-create", "off", "--notify-callbacks", "on",
        "--notify-allow-http", "on", "--notify-allow-ranges", "127.0.0.0/8", "--notify-allow-ports", "any",
        "--notify-endpoints", "ops=" + url("/ops"), "--notify-timeout", "2s"));
    a.addAll(List.of(more));
    return a;
  }

  StandaloneServer server(String... more) throws Exception {
    StandaloneServer s = StandaloneServer.start(ServerOptions.parse(notifyArgs(more).toArray(String[]::new),
        Map.of("OTS_NOTIFY_SECRET_OPS", OPS_SECRET)));
    closing.add(s);
    return s;
  }

  HttpResponse<String> post(StandaloneServer s, String path, String type, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path))
        .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  JsonNode create(StandaloneServer s, String notify) throws Exception {
    String body = notify == null ? "{\"text\":\"hello\"}" : "{\"text\":\"hello\",\"notify\":\"" + notify + "\"}";
    HttpResponse<String> r = post(s, "/api/secrets", "application/json", body);
    assertEquals(201, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }

  void open(StandaloneServer s, JsonNode created) throws Exception {
    HttpResponse<String> r = post(s, "/api/secrets/" + created.get("id").asText() + "/open", "application/json",
        "{\"key\":\"" + created.get("key").asText() + "\"}");
    assertEquals(200, r.statusCode(), r.body());
  }

  void delete(StandaloneServer s, JsonNode created) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port()
        + "/api/secrets/" + created.get("id").asText())).header("OTS-Delete-Token",
        created.get("deleteToken").asText()).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(204, r.statusCode(), r.body());
  }

  @Test
  void aSenderHearsOfTheOpeningAndEveryCreatePathTakesACallback() throws Exception {
    StandaloneServer s = server("--metrics-port", "0");
    JsonNode c = create(s, url("/cb"));
    String secret = c.get("notifySecret").asText();
    assertTrue(secret.startsWith("whsec_"), c.toString());
    open(s, c);
    Hit opened = await(at("/cb"), 1, 10).get(0);
    assertEquals("secret.opened", opened.type());
    assertEquals(c.get("id").asText(), opened.secretId());
    assertTrue(opened.signedWith(secret));
    List<Hit> ops = await(at("/ops"), 2, 10);
    for (Hit h : ops) {
      assertTrue(h.signedWith(OPS_SECRET), "the operator's endpoint signs with its own secret");
    }
    // every other create path takes "notify" too, and answers its signing secret once
    String base = "/api/secrets";
    HttpResponse<String> multipart = post(s, base, "multipart/form-data; boundary=zz", "--zz\r\nContent-Disposition:"
        + " form-data; name=\"text\"\r\n\r\nhi\r\n--zz\r\nContent-Disposition: form-data; name=\"notify\"\r\n\r\n"
        + url("/mp") + "\r\n--zz--\r\n");
    HttpResponse<String> raw = post(s, base + "?notify=" + java.net.URLEncoder.encode(url("/raw"),
        StandardCharsets.UTF_8), "application/octet-stream", "hi");
    HttpResponse<String> upload = post(s, "/api/uploads", "application/json", "{\"segmentSize\":65536,\"notify\":\""
        + url("/up") + "\"}");
    for (HttpResponse<String> r : List.of(multipart, raw, upload)) {
      assertEquals(201, r.statusCode(), r.body());
      assertTrue(JSON.readTree(r.body()).get("notifySecret").asText().startsWith("whsec_"), r.body());
    }
    delete(s, JSON.readTree(multipart.body()));
    assertTrue(await(at("/mp"), 1, 10).get(0).signedWith(JSON.readTree(multipart.body()).get("notifySecret")
        .asText()));
    // refused: an address it does not call (one message for every such address, issue 36, finding 3), its scheme
    HttpResponse<String> metadata = post(s, base, "application/json",
        "{\"text\":\"x\",\"notify\":\"http://169.254.169.254/latest/meta-data/\"}");
    assertEquals(400, metadata.statusCode());
    assertTrue(metadata.body().contains("not one this server sends notifications to"), metadata.body());
    HttpResponse<String> ftp = post(s, base, "application/json", "{\"text\":\"x\",\"notify\":\"ftp://127.0.0.1/\"}");
    assertEquals(400, ftp.statusCode());
    String session = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/api/session"))
        .build(), HttpResponse.BodyHandlers.ofString()).body();
    assertTrue(JSON.readTree(session).get("notify").asBoolean(), session);
    String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.metricsPort()
        + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    assertTrue(metrics.contains("ots_notify_attempts_total{event=\"secret.opened\",outcome=\"delivered\",target="
        + "\"callback\"}"), metrics);
    assertTrue(metrics.contains("ots_notify_waiting"), metrics);
  }

  @Test
  void withoutTheOperatorsConsentACallbackIsRefused() throws Exception {
    StandaloneServer s = StandaloneServer.start(ServerOptions.parse(new String[] {"--port", "0", "--bind",
        "127.0.0.1", "--warmup", "off", "--request-log", "off"}, Map.of()));
    closing.add(s);
    HttpResponse<String> r = post(s, "/api/secrets", "application/json",
        "{\"text\":\"x\",\"notify\":\"https://hooks.example.com/x\"}");
    assertEquals(400, r.statusCode());
    assertTrue(r.body().contains("does not send notifications"), r.body());
  }

  @Test
  void twoInstancesOnOneRedisDeliverEachEventOnce() throws Exception {
    RedisProcess redis = RedisProcess.start("--appendonly", "no");
    closing.add(redis);
    StandaloneServer a = server("--storage", "redis", "--redis-uri", redis.uri());
    StandaloneServer b = server("--storage", "redis", "--redis-uri", redis.uri());
    List<JsonNode> made = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      made.add(create(i % 2 == 0 ? a : b, null));
    }
    for (int i = 0; i < 12; i++) {
      if (i % 2 == 0) {
        open(i % 4 == 0 ? b : a, made.get(i));
      } else {
        delete(i % 3 == 0 ? a : b, made.get(i));
      }
    }
    List<Hit> ops = await(at("/ops"), 24, 20);
    Thread.sleep(1500); // anything delivered twice would arrive now
    ops = hits(at("/ops"));
    assertEquals(24, ops.size(), "12 created, 6 opened, 6 deleted: " + ops.stream().map(Hit::type).toList());
    assertEquals(24, ops.stream().map(h -> h.header("webhook-id")).distinct().count(), "each event once");
    assertEquals(6, ops.stream().filter(h -> h.type().equals("secret.opened")).count());
    assertEquals(6, ops.stream().filter(h -> h.type().equals("secret.deleted")).count());
    for (Hit h : ops) {
      assertTrue(h.signedWith(OPS_SECRET));
    }
  }

  @Test
  void everyEventOnAThreePrimaryCluster() throws Exception {
    List<RedisProcess> cluster = RedisProcess.startCluster();
    closing.addAll(cluster);
    String seeds = String.join(",", cluster.stream().map(RedisProcess::uri).toList());
    StandaloneServer s = server("--storage", "redis", "--redis-uri", seeds);
    JsonNode opened = create(s, url("/c-opened"));
    JsonNode deleted = create(s, url("/c-deleted"));
    HttpResponse<String> p = post(s, "/api/secrets", "application/json",
        "{\"text\":\"x\",\"passphrase\":\"right horse\",\"notify\":\"" + url("/c-burned") + "\"}");
    assertEquals(201, p.statusCode(), p.body());
    JsonNode burned = JSON.readTree(p.body());
    open(s, opened);
    delete(s, deleted);
    for (int i = 0; i < 5; i++) {
      post(s, "/api/secrets/" + burned.get("id").asText() + "/open", "application/json",
          "{\"passphrase\":\"wrong " + i + "\"}");
    }
    assertEquals("secret.opened", await(at("/c-opened"), 1, 15).get(0).type());
    assertEquals("secret.deleted", await(at("/c-deleted"), 1, 15).get(0).type());
    assertEquals("secret.burned", await(at("/c-burned"), 1, 15).get(0).type());
    assertTrue(await(at("/c-burned"), 1, 1).get(0).signedWith(burned.get("notifySecret").asText()));
    List<Hit> ops = await(at("/ops"), 6, 15);
    assertEquals(List.of("secret.burned", "secret.created", "secret.created", "secret.created", "secret.deleted",
        "secret.opened"), ops.stream().map(Hit::type).sorted().toList());
  }

  @Test
  void aServerKilledWhileDeliveringHandsTheEventToAnother() throws Exception {
    RedisProcess redis = RedisProcess.start("--appendonly", "no");
    closing.add(redis);
    hold = h -> h.path().equals("/slow") && hits(at("/slow")).size() == 1; // the first attempt gets no answer
    Path secretFile = tmp.resolve("ops.secret");
    java.nio.file.Files.writeString(secretFile, OPS_SECRET + "\n");
    List<String> childArgs = new ArrayList<>(notifyArgs("--storage", "redis", "--redis-uri", redis.uri(),
        "--notify-secret-files", "ops=" + secretFile));
    childArgs.subList(0, 4).clear(); // startChild gives its own --port and --bind
    FaultInjectionIT.Child child = FaultInjectionIT.startChild(tmp.resolve("child.log"),
        childArgs.toArray(String[]::new));
    closing.add(() -> child.process().destroyForcibly());
    String base = "http://127.0.0.1:" + child.port();
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/secrets"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
            "{\"text\":\"x\",\"notify\":\"" + url("/slow") + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(201, r.statusCode(), r.body());
    JsonNode c = JSON.readTree(r.body());
    HttpResponse<String> d = http.send(HttpRequest.newBuilder(URI.create(base + "/api/secrets/" + c.get("id").asText()))
        .header("OTS-Delete-Token", c.get("deleteToken").asText()).DELETE().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(204, d.statusCode());
    Hit first = await(at("/slow"), 1, 15).get(0); // the child took the delivery and waits for an answer
    child.process().destroyForcibly(); // kill -9 while it holds it
    assertTrue(child.process().waitFor(30, TimeUnit.SECONDS));
    server("--storage", "redis", "--redis-uri", redis.uri());
    // the survivor takes it when the dead one's lease ends (3 x the 2 s attempt timeout + 10 s)
    List<Hit> both = await(at("/slow"), 2, 60);
    assertEquals(2, both.size(), "delivered again by the survivor");
    assertEquals("secret.deleted", both.get(1).type());
    assertEquals(first.header("webhook-id"), both.get(1).header("webhook-id"), "with the same event id");
    assertTrue(both.get(1).signedWith(c.get("notifySecret").asText()));
  }

  /** Runs the packaged {@code ots} CLI; its stdout lines. */
  List<String> ots(String stdin, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", Path.of("../cli/target/onetimeshare-cli.jar").toString()));
    cmd.addAll(List.of(args));
    Path out = java.nio.file.Files.createTempFile(tmp, "ots", ".out");
    Path err = java.nio.file.Files.createTempFile(tmp, "ots", ".err");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().remove("OTS_TOKEN");
    Process p = pb.start();
    try (var in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    assertTrue(p.waitFor(2, TimeUnit.MINUTES));
    assertEquals(0, p.exitValue(), java.nio.file.Files.readString(err));
    return java.nio.file.Files.readAllLines(out);
  }

  @Test
  void otsShareNotifyHearsOfTheOpeningAndOfAnExpiryAcrossARestart() throws Exception {
    Path data = tmp.resolve("vault");
    StandaloneServer first = server("--storage", "file", "--data-dir", data.toString());
    String base = "http://127.0.0.1:" + first.port() + "/";
    // opened: the sender hears of it within seconds
    List<String> shared = ots("for your eyes\n", "share", "--server", base, "--notify", url("/opened"));
    assertEquals(3, shared.size(), shared.toString());
    String link = shared.get(0);
    String secret = shared.get(2);
    assertTrue(secret.startsWith("whsec_"), shared.toString());
    ots("", "open", link);
    Hit opened = await(at("/opened"), 1, 10).get(0);
    assertEquals("secret.opened", opened.type());
    assertTrue(opened.signedWith(secret));
    // expired: with the server restarted in between and no request touching the secret
    List<String> waiting = ots("nobody opens this\n", "share", "--server", base, "--ttl", "60s", "--notify",
        url("/exp"));
    closing.remove(first);
    first.close();
    server("--storage", "file", "--data-dir", data.toString());
    Hit expired = await(at("/exp"), 1, 120).get(0);
    assertEquals("secret.expired", expired.type());
    assertTrue(waiting.get(0).contains(expired.secretId()), "the event names the secret of that link");
    assertTrue(expired.signedWith(waiting.get(2)));
  }

  @Test
  void anAskerHearsThatTheAnswerArrivedOrThatNobodyAnswered() throws Exception {
    StandaloneServer s = server();
    String base = "http://127.0.0.1:" + s.port() + "/";
    List<String> ignored = ots("", "request", "--server", base, "--ttl", "60s", "--notify", url("/nobody"));
    List<String> asked = ots("", "request", "--server", base, "--label", "the key", "--notify", url("/asked"));
    assertEquals(3, asked.size(), asked.toString());
    assertTrue(asked.get(2).startsWith("whsec_"), asked.toString());
    ots("the answer\n", "answer", asked.get(0));
    Hit fulfilled = await(at("/asked"), 1, 10).get(0);
    assertEquals("request.fulfilled", fulfilled.type());
    assertTrue(fulfilled.signedWith(asked.get(2)), "signed with the secret the asker got");
    assertTrue(asked.get(1).contains(fulfilled.secretId()), "the event names the request of that inbox link");
    Hit expired = await(at("/nobody"), 1, 120).get(0);
    assertEquals("request.expired", expired.type());
    assertTrue(expired.signedWith(ignored.get(2)));
    assertTrue(ignored.get(0).contains(expired.secretId()));
    assertEquals(1, hits(at("/asked")).size(), "an answer not yet due to expire tells nothing more");
    assertEquals(List.of(), hits(h -> h.path().equals("/ops") && (h.secretId().equals(fulfilled.secretId())
        || h.secretId().equals(expired.secretId()))), "requests go to the asker's callback only");
    // without the operator's consent a request's callback is refused like a secret's
    StandaloneServer closed = StandaloneServer.start(ServerOptions.parse(new String[] {"--port", "0", "--bind",
        "127.0.0.1", "--warmup", "off", "--request-log", "off"}, Map.of()));
    closing.add(closed);
    HttpResponse<String> refused = post(closed, "/api/requests", "application/json", "{\"publicKey\":\""
        + "A".repeat(43) + "\",\"notify\":\"" + url("/x") + "\"}");
    assertEquals(400, refused.statusCode(), refused.body());
    assertTrue(refused.body().contains("request without"), refused.body());
  }

  @Test
  void thePageOffersTheCallbackAndShowsItsSecretOnce() throws Exception {
    StandaloneServer s = server();
    String base = "http://127.0.0.1:" + s.port() + "/";
    org.openqa.selenium.WebDriver d = WebPageBrowserIT.browser("notify-sender");
    try {
      d.get(base);
      org.openqa.selenium.support.ui.WebDriverWait wait = WebPageBrowserIT.waitOn(d);
      wait.until(org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated(
          org.openqa.selenium.By.id("more-options")));
      d.findElement(org.openqa.selenium.By.cssSelector("#more-options > summary")).click();
      d.findElement(org.openqa.selenium.By.id("notify-url")).sendKeys(url("/page"));
      d.findElement(org.openqa.selenium.By.id("secret-text")).sendKeys("from the page");
      d.findElement(org.openqa.selenium.By.id("create")).click();
      wait.until(org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated(
          org.openqa.selenium.By.id("notify-secret")));
      String secret = d.findElement(org.openqa.selenium.By.id("notify-secret")).getAttribute("value");
      String link = d.findElement(org.openqa.selenium.By.id("link")).getAttribute("value");
      assertTrue(secret.startsWith("whsec_"), secret);
      ots("", "open", link);
      Hit opened = await(at("/page"), 1, 10).get(0);
      assertEquals("secret.opened", opened.type());
      assertTrue(opened.signedWith(secret));
      WebPageBrowserIT.assertNoCspViolations(d);
    } finally {
      d.quit();
    }
  }
}
