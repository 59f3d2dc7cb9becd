package io.onetimeshare.examples.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.onetimeshare.redis.RedisProcess;
import io.onetimeshare.s3.S3ProxyProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 37 through the standalone server: two instances on one Redis (records, claims) and one S3 API (s3proxy,
 * bodies), started with the documented options and a credentials file. A file created on one opens on the other with
 * the exact bytes; the bucket holds only ciphertext under a key without the id, and nothing once it was opened; racing
 * opens across the instances give exactly one 200 each; an object store outage is a 503 that delivers nothing, and
 * the secret opens once when the store is back.
 */
class ObjectStorageIT {
  @TempDir
  static Path dir;
  static RedisProcess redis;
  static S3ProxyProcess s3;
  static StandaloneServer one;
  static StandaloneServer two;
  static String a;
  static String b;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws Exception {
    redis = RedisProcess.start("--appendonly", "yes", "--appendfsync", "always");
    s3 = S3ProxyProcess.start("ots-bodies");
    Path credentials = Files.writeString(dir.resolve("s3-credentials"), S3ProxyProcess.ACCESS_KEY + "\n"
        + S3ProxyProcess.SECRET_KEY + "\n");
    String[] args = {"--port", "0", "--bind", "127.0.0.1", "--storage", "redis", "--redis-uri", redis.uri(),
        "--rate-create", "off", "--rate-open", "off", "--rate-create-bytes", "off", "--max-size", "64MB",
        "--warmup", "off", "--request-log", "off", "--body-store", "s3", "--s3-bucket", "ots-bodies",
        "--s3-endpoint", s3.endpoint().toString(), "--s3-path-style", "on", "--s3-prefix", "ots/",
        "--s3-credentials-file", credentials.toString()};
    one = StandaloneServer.start(ServerOptions.parse(args, Map.of()));
    two = StandaloneServer.start(ServerOptions.parse(args, Map.of()));
    a = "http://127.0.0.1:" + one.port();
    b = "http://127.0.0.1:" + two.port();
  }

  @AfterAll
  static void stop() throws Exception {
    two.close();
    one.close();
    s3.close();
    redis.close();
  }

  private HttpResponse<byte[]> create(String base, byte[] file) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + "/api/secrets")).timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(file))
        .build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private HttpResponse<byte[]> open(String base, String id, String key) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + "/api/secrets/" + id + "/open"))
        .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"" + key + "\"}")).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String field(HttpResponse<byte[]> r, String name) {
    return RedisStorageHttpTest.field(new String(r.body(), java.nio.charset.StandardCharsets.UTF_8), name);
  }

  private static List<Path> objects() throws Exception {
    Path bucket = s3.data.resolve("ots-bodies");
    try (Stream<Path> all = Files.walk(bucket)) {
      return all.filter(Files::isRegularFile).toList();
    }
  }

  @Test
  void aFileCreatedOnOneInstanceOpensOnTheOtherAndTheBucketHoldsOnlyCiphertextUntilThen() throws Exception {
    byte[] file = new byte[20 << 20];
    ThreadLocalRandom.current().nextBytes(file);
    byte[] marker = "PLAINTEXT-MARKER-0123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    System.arraycopy(marker, 0, file, 1 << 20, marker.length);
    HttpResponse<byte[]> c = create(a, file);
    assertEquals(201, c.statusCode(), new String(c.body(), java.nio.charset.StandardCharsets.UTF_8));
    String id = field(c, "id");
    List<Path> stored = objects().stream().filter(p -> p.toString().contains("/ots/")).toList();
    assertEquals(1, stored.size(), stored.toString());
    assertFalse(stored.get(0).toString().contains(id), "no id in the object's key: " + stored.get(0));
    byte[] sealed = Files.readAllBytes(stored.get(0));
    assertTrue(sealed.length > file.length, "the sealed body (segments and tags)");
    assertEquals(-1, indexOf(sealed, marker), "no plaintext in the object store");
    HttpResponse<byte[]> o = open(b, id, field(c, "key"));
    assertEquals(200, o.statusCode());
    assertArrayEquals(file, o.body(), "created on one instance, opened on the other, the exact bytes");
    assertEquals(404, open(a, id, field(c, "key")).statusCode(), "once");
    assertFalse(Files.exists(stored.get(0)), "the object is gone once opened");
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Test
  void racingOpensAcrossTheInstancesGiveExactlyOneBodyEach() throws Exception {
    int n = 40;
    List<String[]> secrets = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] file = new byte[100_000 + i];
      ThreadLocalRandom.current().nextBytes(file);
      HttpResponse<byte[]> c = create(i % 2 == 0 ? a : b, file);
      assertEquals(201, c.statusCode());
      secrets.add(new String[] {field(c, "id"), field(c, "key")});
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (String[] s : secrets) {
        for (int k = 0; k < 4; k++) {
          String base = k % 2 == 0 ? a : b;
          results.add(pool.submit(() -> open(base, s[0], s[1]).statusCode()));
        }
      }
      int ok = 0;
      int gone = 0;
      for (Future<Integer> f : results) {
        int code = f.get();
        if (code == 200) {
          ok++;
        } else if (code == 404) {
          gone++;
        }
      }
      assertEquals(n, ok, "exactly one 200 per secret");
      assertEquals(3 * n, gone, "every other opener: 404");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void anObjectStoreOutageIs503ThatDeliversNothingAndTheSecretOpensOnceAfter() throws Exception {
    byte[] file = new byte[300_000];
    ThreadLocalRandom.current().nextBytes(file);
    HttpResponse<byte[]> c = create(a, file);
    assertEquals(201, c.statusCode());
    s3.stop();
    try {
      HttpResponse<byte[]> during = open(b, field(c, "id"), field(c, "key"));
      assertEquals(503, during.statusCode());
      String body = new String(during.body(), java.nio.charset.StandardCharsets.UTF_8);
      assertTrue(body.contains("store_unavailable"), body);
      assertEquals(503, create(a, new byte[1000]).statusCode(), "a create while the object store is down");
    } finally {
      s3.start();
    }
    HttpResponse<byte[]> after = open(a, field(c, "id"), field(c, "key"));
    assertEquals(200, after.statusCode());
    assertArrayEquals(file, after.body(), "nothing was lost: it opens once, now");
    assertEquals(404, open(b, field(c, "id"), field(c, "key")).statusCode());
  }
}
