package io.onetimeshare.spring.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.onetimeshare.redis.RedisProcess;
import io.onetimeshare.s3.S3ProxyProcess;
import io.onetimeshare.spi.SecretVault;
import io.onetimeshare.split.SplitVault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue 39: the same application with {@code onetimeshare-s3} on its class path and {@code onetimeshare.bodies=s3}:
 * records and claims in its Redis, sealed bodies in a real S3 API (s3proxy), the object store in the health, and
 * DOWN when the object store stops answering.
 */
@SpringBootTest(classes = ExampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"onetimeshare.bodies=s3", "onetimeshare.s3.bucket=ots-boot", "onetimeshare.s3.path-style=true",
        "onetimeshare.s3.prefix=boot/", "onetimeshare.redis.prefix=boots3"})
class SpringBootObjectStoreIT {
  private static RedisProcess redis;
  private static S3ProxyProcess s3;

  @DynamicPropertySource
  static void stores(DynamicPropertyRegistry r) throws Exception {
    redis = RedisProcess.start("--appendonly", "no");
    s3 = S3ProxyProcess.start("ots-boot");
    Path credentials = Files.createTempFile("ots-s3", ".credentials");
    Files.writeString(credentials, S3ProxyProcess.ACCESS_KEY + "\n" + S3ProxyProcess.SECRET_KEY + "\n");
    r.add("spring.data.redis.url", redis::uri);
    r.add("onetimeshare.s3.endpoint", () -> s3.endpoint().toString());
    r.add("onetimeshare.s3.credentials-file", credentials::toString);
    StarterFlow.keycloak(r);
  }

  @AfterAll
  static void stop() throws Exception {
    s3.close();
    redis.close();
  }

  @LocalServerPort
  int port;

  @Autowired
  SecretVault vault;

  private static long objects() throws Exception {
    try (Stream<Path> files = Files.walk(s3.data.resolve("ots-boot"))) {
      return files.filter(Files::isRegularFile).count();
    }
  }

  @Test
  void bodiesInTheObjectStoreRecordsInRedisAndTheHealthSaysWhenEitherIsDown() throws Exception {
    assertInstanceOf(SplitVault.class, vault, "records in Redis, bodies in the bucket");
    StarterFlow.Browser alice = new StarterFlow.Browser(port);
    alice.signIn("alice"); // the health's details are for signed-in people (show-details=when-authorized)
    HttpHealth before = HttpHealth.of(alice);
    assertTrue(before.body.contains("\"objectStore\":\"answers\""), before.body);
    long objectsBefore = objects();
    String id = StarterFlow.run(port); // created (its body into the bucket), opened once, gone
    assertTrue(redis.command("EXISTS boots3:{" + id + "}:r").trim().endsWith("1"), "the trace is in Redis");
    assertEquals(objectsBefore, objects(), "the opened secret's object is deleted after its delivery");

    s3.stop();
    try {
      HttpHealth down = HttpHealth.of(alice);
      assertEquals(503, down.status, "the object store down: the application is DOWN: " + down.body);
      assertTrue(down.body.contains("\"objectStore\":\"unavailable"), down.body);
    } finally {
      s3.start();
    }
    assertEquals(200, HttpHealth.of(alice).status, "back once the object store answers");
  }

  /** {@code /actuator/health} as the application shows it to a signed-in operator (details). */
  record HttpHealth(int status, String body) {
    static HttpHealth of(StarterFlow.Browser b) throws Exception {
      var r = b.get("/actuator/health/oneTimeShare");
      return new HttpHealth(r.statusCode(), r.body());
    }
  }
}
