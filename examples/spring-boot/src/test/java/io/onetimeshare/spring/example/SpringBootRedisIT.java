package io.onetimeshare.spring.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.onetimeshare.redis.RedisProcess;
import io.onetimeshare.redis.RedisSecretVault;
import io.onetimeshare.spi.SecretVault;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue 39: the example application (only the starter and its {@code application.properties}) on a real
 * redis-server, signing people in with its own Spring Security against a real Keycloak. Run twice by the build: on
 * JDK 17, and on JDK 25 with {@code spring.threads.virtual.enabled=true} (then requests must run on virtual threads).
 */
@SpringBootTest(classes = ExampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "onetimeshare.redis.prefix=bootit")
class SpringBootRedisIT {
  private static RedisProcess redis;

  @DynamicPropertySource
  static void redisAndKeycloak(DynamicPropertyRegistry r) throws Exception {
    redis = RedisProcess.start("--appendonly", "no");
    r.add("spring.data.redis.url", redis::uri);
    StarterFlow.keycloak(r);
  }

  @AfterAll
  static void stop() throws Exception {
    redis.close();
  }

  @LocalServerPort
  int port;

  @Autowired
  SecretVault vault;

  @Autowired
  org.springframework.context.ConfigurableApplicationContext context;

  @Autowired
  MeterRegistry meters;

  @Test
  void signedInPeopleShareAndAnyoneOpensOnceOnTheApplicationsRedis() throws Exception {
    assertInstanceOf(RedisSecretVault.class, vault, "the vault is on the application's Redis");
    StarterFlow.partsPresent(context);
    String id = StarterFlow.run(port);
    assertTrue(redis.command("EXISTS bootit:{" + id + "}:r").trim().endsWith("1"), "its trace is in the app's Redis");
    assertEquals(1.0, meters.get("ots.secrets").tag("event", "stored").tag("kind", "text").counter().count(),
        "the library's meters in the application's registry, under the standalone server's names");
    if (Boolean.getBoolean("ots.expect.virtual")) {
      StarterFlow.Browser alice = new StarterFlow.Browser(port);
      alice.signIn("alice");
      String thread = alice.get("/probe/thread").body();
      assertTrue(thread.startsWith("VirtualThread"), "requests on virtual threads: " + thread);
    }
  }
}
