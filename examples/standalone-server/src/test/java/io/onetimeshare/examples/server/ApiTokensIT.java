package io.onetimeshare.examples.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.onetimeshare.redis.RedisProcess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * API tokens end to end (issue 21): created by the server's tokens command in a real Redis, used by plain HTTP and by
 * the packaged {@code ots} jar (from OTS_TOKEN and a file, never an argument), revoked and refused at once by a
 * second instance sharing the store, expired and refused; an instance with {@code --create-access nobody} beside them
 * on the same Redis opens what they create.
 */
class ApiTokensIT {
  static RedisProcess redis;
  static StandaloneServer a;
  static StandaloneServer b;
  static StandaloneServer openOnly;
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final Path CLI = Path.of("../cli/target/onetimeshare-cli.jar");
  @TempDir
  static Path tmp;

  @BeforeAll
  static void start() throws Exception {
    redis = RedisProcess.start("--appendonly", "no");
    a = server("tokens");
    b = server("tokens");
    openOnly = server("nobody");
  }

  static StandaloneServer server(String access) throws Exception {
    return StandaloneServer.start(ServerOptions.parse(new String[] {"--port", "0", "--bind", "127.0.0.1",
        "--warmup", "off", "--request-log", "off", "--storage", "redis", "--redis-uri", redis.uri(),
        "--rate-open", "off", "--create-access", access, "--metrics-port", "0"}, Map.of()));
  }

  @AfterAll
  static void stop() throws Exception {
    for (StandaloneServer s : List.of(a, b, openOnly)) {
      s.close();
    }
    redis.close();
  }

  record Out(int code, String out, String err) {}

  static Out tokens(String... args) {
    List<String> all = new ArrayList<>(List.of("tokens"));
    all.addAll(List.of(args));
    all.addAll(List.of("--storage", "redis", "--redis-uri", redis.uri()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = TokenCommand.run(all.toArray(String[]::new), Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Out(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static HttpResponse<String> create(StandaloneServer s, String token) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/api/secrets"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"ci\"}"));
    if (token != null) {
      r.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The create paths besides JSON: multipart, raw, and beginning an upload. */
  static List<HttpRequest> everyOtherCreatePath(String base) {
    return List.of(
        HttpRequest.newBuilder(URI.create(base + "/api/secrets")).header("Content-Type",
            "multipart/form-data; boundary=zz").POST(HttpRequest.BodyPublishers.ofString(
                "--zz\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nhi\r\n--zz--\r\n")).build(),
        HttpRequest.newBuilder(URI.create(base + "/api/secrets?filename=a.bin")).header("Content-Type",
            "application/octet-stream").POST(HttpRequest.BodyPublishers.ofString("hi")).build(),
        HttpRequest.newBuilder(URI.create(base + "/api/uploads")).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"segmentSize\":65536}")).build());
  }

  static Out ots(Map<String, String> env, String stdin, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-jar",
        CLI.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().remove("OTS_TOKEN");
    pb.environment().putAll(env);
    Path out = Files.createTempFile(tmp, "out", ".txt");
    Path err = Files.createTempFile(tmp, "err", ".txt");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    try (var in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    assertTrue(p.waitFor(2, TimeUnit.MINUTES));
    return new Out(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  @Test
  void createdByTheCommandUsedByCurlAndOtsRevokedEverywhereAtOnce() throws Exception {
    Out made = tokens("create", "ci-deploy", "--expires", "30d");
    assertEquals(0, made.code(), made.err());
    String token = made.out().strip();
    assertTrue(token.matches("ots_[A-Za-z0-9_-]{43}"), "only the token on stdout: " + made.out());
    assertTrue(made.err().contains("shown only this once"), made.err());
    Out taken = tokens("create", "ci-deploy");
    assertEquals(1, taken.code(), "the name is taken");
    assertTrue(taken.err().contains("exists already"), taken.err());

    assertEquals(401, create(a, null).statusCode(), "anonymous");
    for (HttpRequest other : everyOtherCreatePath("http://127.0.0.1:" + a.port())) {
      HttpResponse<String> r = HTTP.send(other, HttpResponse.BodyHandlers.ofString());
      assertEquals(401, r.statusCode(), other + ": " + r.body());
      assertTrue(r.headers().firstValue("WWW-Authenticate").orElseThrow().startsWith("Bearer"));
    }
    assertEquals(201, create(a, token).statusCode());
    assertEquals(201, create(b, token).statusCode(), "the second instance finds it in the same store");

    String server = "http://127.0.0.1:" + a.port() + "/";
    Out shared = ots(Map.of("OTS_TOKEN", token, "OTS_SERVER", server), "from ots", "share");
    assertEquals(0, shared.code(), shared.err());
    String link = shared.out().lines().findFirst().orElseThrow();
    // the public, open-only instance on the same Redis opens it; it creates nothing itself
    String onOpenOnly = link.replace(":" + a.port() + "/", ":" + openOnly.port() + "/");
    Out opened = ots(Map.of(), "", "open", onOpenOnly);
    assertEquals(0, opened.code(), opened.err());
    assertEquals("from ots", opened.out().strip());
    HttpResponse<String> closed = create(openOnly, token);
    assertEquals(403, closed.statusCode());
    assertTrue(closed.body().contains("create_disabled"), closed.body());

    Path file = Files.writeString(tmp.resolve("token"), token + "\n");
    assertEquals(0, ots(Map.of("OTS_SERVER", server), "via file", "share", "--token-file", file.toString()).code());
    Out argument = ots(Map.of("OTS_SERVER", server), "x", "share", "--token", token);
    assertEquals(2, argument.code(), "never as an argument");
    assertTrue(argument.err().contains("never given as an argument"), argument.err());
    assertFalse(argument.err().contains(token), "nor repeated");
    Out none = ots(Map.of("OTS_SERVER", server), "x", "share");
    assertTrue(none.code() != 0 && none.err().contains("OTS_TOKEN"), none.err());

    HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.metricsPort()
        + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
    assertTrue(metrics.body().contains("ots_creations_total{creator=\"token:ci-deploy\"}"), "counted by token name");

    Out list = tokens("list");
    assertTrue(list.out().contains("ci-deploy") && !list.out().contains(token.substring(4)), list.out());
    assertFalse(list.out().lines().filter(l -> l.startsWith("ci-deploy")).findFirst().orElseThrow().endsWith("never"),
        "its last use is recorded");

    assertEquals(0, tokens("revoke", "ci-deploy").code());
    HttpResponse<String> onB = create(b, token);
    assertEquals(401, onB.statusCode(), "refused at once on the other instance");
    assertTrue(onB.body().contains("revoked or never issued"), onB.body());
    assertEquals(401, create(a, token).statusCode());
    assertEquals(1, tokens("revoke", "ci-deploy").code(), "gone");
  }

  @Test
  void anExpiredTokenIsRefused() throws Exception {
    Out made = tokens("create", "short-lived", "--expires", "1s");
    assertEquals(0, made.code(), made.err());
    Thread.sleep(1_500);
    HttpResponse<String> r = create(a, made.out().strip());
    assertEquals(401, r.statusCode());
    assertTrue(r.body().contains("expired"), r.body());
    assertTrue(tokens("list").out().contains("(expired)"));
  }

  @Test
  void theCommandNeedsASharedStore() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = TokenCommand.run(new String[] {"tokens", "list"}, Map.of(), new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(2, code);
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("--storage file"), err.toString(StandardCharsets.UTF_8));
  }
}
