package io.onetimeshare.spring.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.onetimeshare.redis.RedisProcess;
import io.onetimeshare.redis.RedisSecretVault;
import io.onetimeshare.spi.SecretVault;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue 20: a Spring Boot application that adds only the dependency and {@code onetimeshare.*} properties shares and
 * opens a secret over HTTP through the auto-configured servlet, with the vault in the application's own Redis (a real
 * redis-server) through Spring Data Redis's Lettuce client.
 */
@SpringBootTest(classes = ExampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"onetimeshare.path=/share/*", "onetimeshare.redis-prefix=bootit", "onetimeshare.rate-create=50/1h"})
class SpringBootRedisIT {
  private static RedisProcess redis;

  @DynamicPropertySource
  static void redis(DynamicPropertyRegistry r) throws Exception {
    redis = RedisProcess.start("--appendonly", "no");
    r.add("spring.data.redis.url", redis::uri);
  }

  @AfterAll
  static void stop() throws Exception {
    redis.close();
  }

  @LocalServerPort
  int port;

  @Autowired
  SecretVault vault;

  private static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
    return m.find() ? m.group(1) : null;
  }

  @Test
  void sharesAndOpensThroughTheAutoConfiguredServletOnTheApplicationsRedis() throws Exception {
    assertInstanceOf(RedisSecretVault.class, vault, "the vault is on the application's Redis");
    HttpClient http = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + port + "/share";
    HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base + "/api/secrets"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"from a Boot app\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(201, created.statusCode(), created.body());
    assertEquals("50", created.headers().firstValue("RateLimit-Limit").orElse(""), "the create limiter is on");
    String id = field(created.body(), "id");
    String key = field(created.body(), "key");
    assertTrue(redis.command("EXISTS bootit:{" + id + "}").trim().endsWith("1"), "stored in the app's Redis");
    HttpRequest open = HttpRequest.newBuilder(URI.create(base + "/api/secrets/" + id + "/open"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"" + key + "\"}")).build();
    HttpResponse<String> opened = http.send(open, HttpResponse.BodyHandlers.ofString());
    assertEquals(200, opened.statusCode());
    assertEquals("from a Boot app", opened.body());
    assertEquals(404, http.send(open, HttpResponse.BodyHandlers.ofString()).statusCode(), "exactly once");
    HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + "/")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("<html"), "the page is served too");
  }
}
