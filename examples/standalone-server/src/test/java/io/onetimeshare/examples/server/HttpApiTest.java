package io.onetimeshare.examples.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Black-box tests of the HTTP API v1 against the real standalone server (embedded Jetty) on a free port. */
class HttpApiTest {
  static StandaloneServer server;
  static String base;
  static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws Exception {
    server = StandaloneServer.start(ServerOptions.parse(new String[] {"--port", "0", "--bind", "127.0.0.1",
        "--max-size", "1MB", "--rate-create", "off", "--rate-open", "off"}, Map.of()));
    base = "http://127.0.0.1:" + server.port();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return http.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpRequest.Builder post(String path, String type, String body) {
    return HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", type)
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
    return m.find() ? m.group(1) : null;
  }

  static String[] createText(String text) throws Exception {
    HttpResponse<String> r = send(post("/api/secrets", "application/json", "{\"text\":\"" + text + "\"}"));
    assertEquals(201, r.statusCode(), r.body());
    return new String[] {field(r.body(), "id"), field(r.body(), "key"), field(r.body(), "deleteToken")};
  }

  static HttpResponse<String> open(String id, String key) throws Exception {
    return send(post("/api/secrets/" + id + "/open", "application/json", "{\"key\":\"" + key + "\"}"));
  }

  static void assertSecurityHeaders(HttpResponse<?> r) {
    assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(""));
    assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""));
    assertEquals("no-referrer", r.headers().firstValue("Referrer-Policy").orElse(""));
  }

  @Test
  void createPeekOpenOnceDelete() throws Exception {
    HttpResponse<String> c = send(post("/api/secrets", "application/json", "{\"text\":\"héllo\",\"ttl\":600}"));
    assertEquals(201, c.statusCode());
    assertSecurityHeaders(c);
    String id = field(c.body(), "id");
    String key = field(c.body(), "key");
    assertEquals(base + "/api/secrets/" + id, c.headers().firstValue("Location").orElseThrow());
    assertEquals(base + "/s/" + id + "#" + key, field(c.body(), "link"));
    assertTrue(field(c.body(), "expiresAt").endsWith("Z"));
    HttpResponse<String> p = send(HttpRequest.newBuilder(URI.create(base + "/api/secrets/" + id)));
    assertEquals(200, p.statusCode());
    assertTrue(p.body().contains("\"passphraseRequired\":false"));
    HttpResponse<String> head = send(HttpRequest.newBuilder(URI.create(base + "/api/secrets/" + id))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()));
    assertEquals(200, head.statusCode());
    assertEquals(405, send(HttpRequest.newBuilder(URI.create(base + "/api/secrets/" + id + "/open"))).statusCode());
    HttpResponse<String> o = open(id, key);
    assertEquals(200, o.statusCode());
    assertEquals("héllo", o.body());
    assertEquals("text/plain;charset=utf-8", o.headers().firstValue("Content-Type").orElse("").replace(" ", ""));
    assertEquals(404, open(id, key).statusCode());
    assertEquals(404, send(HttpRequest.newBuilder(URI.create(base + "/api/secrets/" + id))).statusCode());

    String[] d = createText("delete me");
    HttpRequest.Builder del = HttpRequest.newBuilder(URI.create(base + "/api/secrets/" + d[0])).DELETE();
    assertEquals(403, send(del.copy().header("OTS-Delete-Token", "A".repeat(43))).statusCode());
    assertEquals(204, send(del.copy().header("OTS-Delete-Token", d[2])).statusCode());
    assertEquals(404, send(del.copy().header("OTS-Delete-Token", d[2])).statusCode());
  }

  @Test
  void passphraseWrongAttemptsThenGone() throws Exception {
    String boundary = "XyZ";
    String body = "--XyZ\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nmy pin\r\n"
        + "--XyZ\r\nContent-Disposition: form-data; name=\"passphrase\"\r\n\r\nopen sesame\r\n--XyZ--\r\n";
    HttpResponse<String> c = send(post("/api/secrets", "multipart/form-data; boundary=" + boundary, body));
    assertEquals(201, c.statusCode(), c.body());
    String id = field(c.body(), "id");
    assertEquals(null, field(c.body(), "key"));
    assertEquals(base + "/s/" + id, field(c.body(), "link"));
    HttpResponse<String> wrong = send(post("/api/secrets/" + id + "/open", "application/x-www-form-urlencoded",
        "passphrase=nope"));
    assertEquals(403, wrong.statusCode());
    assertTrue(wrong.body().contains("\"attemptsLeft\":4"), wrong.body());
    HttpResponse<String> ok = send(post("/api/secrets/" + id + "/open", "application/json",
        "{\"passphrase\":\"open sesame\"}"));
    assertEquals(200, ok.statusCode());
    assertEquals("my pin", ok.body());
  }

  @Test
  void multipartFileBeforeOptionsKeepsFilenameAndBytes() throws Exception {
    byte[] content = new byte[300_000];
    for (int i = 0; i < content.length; i++) {
      content[i] = (byte) (i * 31);
    }
    String head = "--b0\r\nContent-Disposition: form-data; name=\"file\"; filename=\"C:\\\\tmp\\\\rép ort.bin\"\r\n"
        + "Content-Type: application/octet-stream\r\n\r\n";
    String tail = "\r\n--b0\r\nContent-Disposition: form-data; name=\"ttl\"\r\n\r\n120\r\n--b0--\r\n";
    byte[] body = concat(head.getBytes(StandardCharsets.UTF_8), content, tail.getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> c = http.send(HttpRequest.newBuilder(URI.create(base + "/api/secrets"))
        .header("Content-Type", "multipart/form-data; boundary=b0").POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(201, c.statusCode(), c.body());
    HttpResponse<byte[]> o = http.send(post("/api/secrets/" + field(c.body(), "id") + "/open", "application/json",
        "{\"key\":\"" + field(c.body(), "key") + "\"}").build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, o.statusCode());
    assertTrue(java.util.Arrays.equals(content, o.body()));
    assertEquals("application/octet-stream", o.headers().firstValue("Content-Type").orElse(""));
    assertEquals("attachment; filename*=UTF-8''r%C3%A9p%20ort.bin",
        o.headers().firstValue("Content-Disposition").orElse(""));
  }

  @Test
  void rawUploadStreams() throws Exception {
    byte[] content = "raw bytes \u0000\u0001".getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> c = http.send(HttpRequest.newBuilder(URI.create(base + "/api/secrets?ttl=300&filename=a.txt"))
        .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(content))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(201, c.statusCode(), c.body());
    HttpResponse<byte[]> o = http.send(post("/api/secrets/" + field(c.body(), "id") + "/open", "application/json",
        "{\"key\":\"" + field(c.body(), "key") + "\"}").build(), HttpResponse.BodyHandlers.ofByteArray());
    assertTrue(java.util.Arrays.equals(content, o.body()));
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int off = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, off, p.length);
      off += p.length;
    }
    return out;
  }

  record Bad(String method, String path, String type, String body, int status) {}

  @Test
  void malformedRequestsGetTheRightStatusAndAJsonError() throws Exception {
    String[] s = createText("exists");
    String id = s[0];
    String mp = "multipart/form-data; boundary=q";
    List<Bad> cases = List.of(
        new Bad("POST", "/api/secrets", "application/json", "", 400),
        new Bad("POST", "/api/secrets", "application/json", "{", 400),
        new Bad("POST", "/api/secrets", "application/json", "[]", 400),
        new Bad("POST", "/api/secrets", "application/json", "\"text\"", 400),
        new Bad("POST", "/api/secrets", "application/json", "{}", 400),
        new Bad("POST", "/api/secrets", "application/json", "{\"text\":\"\"}", 400),
        new Bad("POST", "/api/secrets", "application/json", "{\"text\":5}", 400),
        new Bad("POST", "/api/secrets", "application/json", "{\"text\":\"x\",\"ttl\":10}", 400),
        new Bad("POST", "/api/secrets", "application/json", "{\"text\":\"x\",\"ttl\":999999999}", 400),
        new Bad("POST", "/api/secrets", "application/json", "{\"text\":\"x\",\"ttl\":\"soon\"}", 400),
        new Bad("POST", "/api/secrets", "application/json", "{\"text\":\"x\",\"ttl\":1.5}", 400),
        new Bad("POST", "/api/secrets", "application/json", "{\"text\":\"x\",\"passphrase\":\"\"}", 400),
        new Bad("POST", "/api/secrets", "application/json", "{\"text\":\"x\",\"passphrase\":7}", 400),
        new Bad("POST", "/api/secrets", "text/plain", "hello", 415),
        new Bad("POST", "/api/secrets", "application/xml", "<a/>", 415),
        new Bad("POST", "/api/secrets", mp, "--q\r\nContent-Disposition: form-data; name=\"ttl\"\r\n\r\n600\r\n--q--\r\n",
            400),
        new Bad("POST", "/api/secrets", mp, "--q\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\na\r\n"
            + "--q\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f\"\r\n\r\nb\r\n--q--\r\n", 400),
        new Bad("POST", "/api/secrets", mp, "--q\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\n\r\n--q--\r\n",
            400),
        new Bad("POST", "/api/secrets", mp, "--q\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nabc", 400),
        new Bad("POST", "/api/secrets", mp, "no boundary at all", 400),
        new Bad("POST", "/api/secrets", "multipart/form-data", "--q--", 400),
        new Bad("POST", "/api/secrets", mp, "--q\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\na\r\n"
            + "--q\r\nContent-Disposition: form-data; name=\"ttl\"\r\n\r\nabc\r\n--q--\r\n", 400),
        new Bad("POST", "/api/secrets?ttl=abc", "application/octet-stream", "data", 400),
        new Bad("POST", "/api/secrets", "application/octet-stream", "", 400),
        // ".." is resolved before the servlet sees it (-> /api/, not an API path); it never reaches the store
        new Bad("GET", "/api/secrets/..", null, null, 404),
        new Bad("GET", "/api/secrets/a..b", null, null, 400),
        new Bad("GET", "/api/secrets/AAAAAAAAAAAAAAAAAAAA.-", null, null, 400),
        new Bad("GET", "/api/secrets/" + "A".repeat(23), null, null, 400),
        new Bad("GET", "/api/secrets/short", null, null, 400),
        new Bad("GET", "/api/secrets/AAAAAAAAAAAAAAAAAAAA%2F", null, null, 400),
        new Bad("GET", "/api/secrets/AAAAAAAAAAAAAAAAAAAAAA", null, null, 404),
        new Bad("POST", "/api/secrets/" + id + "/open", "application/json", "{}", 400),
        new Bad("POST", "/api/secrets/" + id + "/open", "application/json", "{\"key\":\"abc\"}", 400),
        new Bad("POST", "/api/secrets/" + id + "/open", "application/json", "{\"key\":\"" + "!".repeat(43) + "\"}",
            400),
        new Bad("POST", "/api/secrets/" + id + "/open", "application/json", "{\"key\":\"a\",\"passphrase\":\"b\"}",
            400),
        new Bad("POST", "/api/secrets/" + id + "/open", "application/json", "{\"passphrase\":\"pw\"}", 400),
        new Bad("POST", "/api/secrets/" + id + "/open", "text/plain", "key", 415),
        new Bad("PUT", "/api/secrets/" + id + "/open", "application/json", "{}", 405),
        new Bad("DELETE", "/api/secrets/" + id + "/open", null, null, 405),
        new Bad("PUT", "/api/secrets", "application/json", "{}", 405),
        new Bad("DELETE", "/api/secrets/" + id, null, null, 400),
        new Bad("POST", "/api/secrets/" + id, "application/json", "{}", 405),
        new Bad("GET", "/nothing-here", null, null, 404));
    for (Bad b : cases) {
      HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + b.path()));
      if (b.type() != null) {
        r.header("Content-Type", b.type());
      }
      r.method(b.method(), b.body() == null ? HttpRequest.BodyPublishers.noBody()
          : HttpRequest.BodyPublishers.ofString(b.body()));
      HttpResponse<String> resp = send(r);
      assertEquals(b.status(), resp.statusCode(), b + " -> " + resp.body());
      assertTrue(resp.body().startsWith("{\"error\":\""), b + " -> " + resp.body());
      assertTrue(resp.body().contains("\"message\":\""), b + " -> " + resp.body());
      assertSecurityHeaders(resp);
    }
    assertTrue(cases.size() >= 30);
    assertEquals(200, open(id, s[1]).statusCode(), "none of the malformed requests consumed the secret");
  }

  @Test
  void oversizedUploadIs413WithoutReadingItAll() throws Exception {
    byte[] big = new byte[2 * 1024 * 1024];
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/secrets"))
        .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(big)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(413, r.statusCode());
    assertTrue(r.body().contains("too_large"));
  }

  @Test
  void hundredConcurrentOpensDeliverOnce() throws Exception {
    String[] s = createText("only once");
    ExecutorService pool = Executors.newFixedThreadPool(100);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Integer>> fs = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        fs.add(pool.submit(() -> {
          go.await();
          return open(s[0], s[1]).statusCode();
        }));
      }
      go.countDown();
      int ok = 0;
      int gone = 0;
      for (Future<Integer> f : fs) {
        int code = f.get(60, TimeUnit.SECONDS);
        if (code == 200) {
          ok++;
        } else if (code == 404) {
          gone++;
        }
      }
      assertEquals(1, ok);
      assertEquals(99, gone);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void uploadCutOffMidBodyStoresNothing() throws Exception {
    io.onetimeshare.memory.InMemorySecretVault vault = (io.onetimeshare.memory.InMemorySecretVault) server.vault();
    long before = vault.size();
    long used = vault.usedBytes();
    try (Socket sock = new Socket("127.0.0.1", server.port())) {
      OutputStream out = sock.getOutputStream();
      out.write(("POST /api/secrets HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
          + "Content-Length: 500000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[100_000]);
      out.flush();
      // the upload has reached the vault (its buffer is taken from the budget as it grows): now cut it off
      Await.until(() -> vault.usedBytes() >= used + 64 * 1024, Duration.ofSeconds(10), "the upload reached the vault");
    }
    Await.until(() -> vault.usedBytes() == used, Duration.ofSeconds(10), "the cut-off upload gave its bytes back");
    assertEquals(before, vault.size(), "nothing was stored");
  }

  @Test
  void healthAndReady() throws Exception {
    assertEquals(200, send(HttpRequest.newBuilder(URI.create(base + "/health"))).statusCode());
    HttpResponse<String> early = send(HttpRequest.newBuilder(URI.create(base + "/ready")));
    assertTrue(early.statusCode() == 200 || early.body().contains("warming up"), early.body()); // others may be done
    server.awaitWarm();
    assertEquals(200, send(HttpRequest.newBuilder(URI.create(base + "/ready"))).statusCode());
  }

  /** Issue 25: /ready stays 503 while the start-up training runs (at most 10 s), /health says up throughout. */
  @Test
  void readyOnlyAfterTheStartUpTraining() throws Exception {
    try (StandaloneServer fresh = StandaloneServer.start(ServerOptions.parse(new String[] {"--port", "0", "--bind",
        "127.0.0.1", "--request-log", "off"}, Map.of()))) {
      String b = "http://127.0.0.1:" + fresh.port();
      HttpResponse<String> cold = send(HttpRequest.newBuilder(URI.create(b + "/ready")));
      assertEquals(503, cold.statusCode(), cold.body());
      assertTrue(cold.body().contains("warming up"), cold.body());
      assertEquals(200, send(HttpRequest.newBuilder(URI.create(b + "/health"))).statusCode());
      long t0 = System.nanoTime();
      fresh.awaitWarm();
      assertTrue(System.nanoTime() - t0 < java.util.concurrent.TimeUnit.SECONDS.toNanos(12), "at most 10 s");
      assertTrue(fresh.warmupRounds() > 50, "the warm-up trained the path: " + fresh.warmupRounds() + " rounds");
      assertEquals(200, send(HttpRequest.newBuilder(URI.create(b + "/ready"))).statusCode());
    }
    try (StandaloneServer skipped = StandaloneServer.start(ServerOptions.parse(new String[] {"--port", "0", "--bind",
        "127.0.0.1", "--request-log", "off", "--warmup", "off"}, Map.of()))) {
      assertEquals(200, send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + skipped.port() + "/ready")))
          .statusCode(), "--warmup off: ready at once");
    }
  }

  @Test
  void rateLimitingAnswers429WithRetryAfter() throws Exception {
    try (StandaloneServer limited = StandaloneServer.start(ServerOptions.parse(new String[] {"--port", "0", "--bind",
        "127.0.0.1", "--rate-create", "3/1h", "--rate-open", "off", "--trusted-proxies", "127.0.0.1"}, Map.of()))) {
      String b = "http://127.0.0.1:" + limited.port();
      for (int i = 0; i < 3; i++) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(b + "/api/secrets"))
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"x\"}")));
        assertEquals(201, r.statusCode());
        assertEquals(Long.toString(2 - i), r.headers().firstValue("RateLimit-Remaining").orElseThrow());
      }
      HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(b + "/api/secrets"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"x\"}")));
      assertEquals(429, r.statusCode());
      assertEquals("1200", r.headers().firstValue("Retry-After").orElseThrow());
      assertEquals("3", r.headers().firstValue("RateLimit-Limit").orElseThrow());
      assertEquals("0", r.headers().firstValue("RateLimit-Remaining").orElseThrow());
      assertTrue(r.body().contains("rate_limited"));
      HttpResponse<String> other = send(HttpRequest.newBuilder(URI.create(b + "/api/secrets"))
          .header("Content-Type", "application/json").header("X-Forwarded-For", "203.0.113.9")
          .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"x\"}")));
      assertEquals(201, other.statusCode(), "another client behind the trusted proxy has its own budget");
    }
  }

  @Test
  void badOptionsEndWithExitCode2() throws Exception {
    String javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
    for (String[] bad : new String[][] {{"--port", "70000"}, {"--storage", "mongo"}, {"--max-size", "lots"},
        {"--rate-create", "fast"}, {"--nope", "1"}, {"--default-ttl", "10"}, {"--trusted-proxies", "example.com"}}) {
      List<String> cmd = new ArrayList<>(List.of(javaBin, "-cp", System.getProperty("java.class.path"),
          StandaloneServer.class.getName()));
      cmd.addAll(List.of(bad));
      cmd.addAll(List.of("--bind", "127.0.0.1"));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out;
      try (InputStream in = p.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      assertEquals(2, p.exitValue(), String.join(" ", bad) + ": " + out);
      assertTrue(out.contains("onetimeshare-server: "), out);
      assertNotEquals("", out.trim());
    }
  }
}
