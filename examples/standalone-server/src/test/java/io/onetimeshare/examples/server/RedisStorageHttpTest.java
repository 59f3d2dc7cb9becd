package io.onetimeshare.examples.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.onetimeshare.redis.RedisProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The standalone server on --storage redis: two instances share secrets and limits; an outage is a 503. */
class RedisStorageHttpTest {
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return http.send(b.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpRequest.Builder create(String base) {
    return HttpRequest.newBuilder(URI.create(base + "/api/secrets")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"shared\"}"));
  }

  static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
    return m.find() ? m.group(1) : null;
  }

  @Test
  void twoInstancesShareSecretsAndAnOutageIs503NeverA404() throws Exception {
    try (RedisProcess redis = RedisProcess.start("--appendonly", "yes", "--appendfsync", "always")) {
      String[] args = {"--port", "0", "--bind", "127.0.0.1", "--storage", "redis", "--redis-uri", redis.uri(),
          "--rate-create", "5/1h", "--rate-open", "off"};
      try (StandaloneServer one = StandaloneServer.start(ServerOptions.parse(args, Map.of()));
           StandaloneServer two = StandaloneServer.start(ServerOptions.parse(args, Map.of()))) {
        String a = "http://127.0.0.1:" + one.port();
        String b = "http://127.0.0.1:" + two.port();
        HttpResponse<String> c = send(create(a));
        assertEquals(201, c.statusCode(), c.body());
        String id = field(c.body(), "id");
        String key = field(c.body(), "key");
        HttpRequest.Builder openOnB = HttpRequest.newBuilder(URI.create(b + "/api/secrets/" + id + "/open"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"" + key + "\"}"));
        assertEquals(200, send(openOnB).statusCode(), "created on one instance, opened on the other");
        assertEquals(404, send(openOnB).statusCode());
        for (int i = 0; i < 4; i++) {
          send(i % 2 == 0 ? create(b) : create(a));
        }
        assertEquals(429, send(create(b)).statusCode(), "the create limit is shared by both instances");

        String kept = field(send(HttpRequest.newBuilder(URI.create(a + "/health"))).body(), "status");
        assertEquals("up", kept);
        redis.kill();
        HttpResponse<String> peek = send(HttpRequest.newBuilder(URI.create(a + "/api/secrets/" + id)));
        assertEquals(503, peek.statusCode(), peek.body());
        assertTrue(peek.body().contains("store_unavailable"));
        assertEquals(503, send(HttpRequest.newBuilder(URI.create(a + "/ready"))).statusCode());
        assertEquals(200, send(HttpRequest.newBuilder(URI.create(a + "/health"))).statusCode());
        redis.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        int ready;
        do {
          Thread.sleep(100);
          ready = send(HttpRequest.newBuilder(URI.create(a + "/ready"))).statusCode();
        } while (ready != 200 && System.nanoTime() < deadline);
        assertEquals(200, ready, "back without a restart");
        assertEquals(404, send(HttpRequest.newBuilder(URI.create(a + "/api/secrets/" + id))).statusCode());
      }
    }
  }
}
