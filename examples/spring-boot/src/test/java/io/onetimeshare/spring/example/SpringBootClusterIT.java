package io.onetimeshare.spring.example;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.onetimeshare.redis.RedisProcess;
import io.onetimeshare.redis.RedisSecretVault;
import io.onetimeshare.spi.SecretVault;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue 39: the same application on a real Redis Cluster (three primaries), configured only through Spring Data
 * Redis's {@code spring.data.redis.cluster.nodes}: OneTimeShare follows the application's cluster client.
 */
@SpringBootTest(classes = ExampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SpringBootClusterIT {
  private static List<RedisProcess> nodes;

  @DynamicPropertySource
  static void clusterAndKeycloak(DynamicPropertyRegistry r) throws Exception {
    nodes = RedisProcess.startCluster();
    r.add("spring.data.redis.cluster.nodes", () -> nodes.stream()
        .map(n -> n.uri().replace("redis://", "")).collect(Collectors.joining(",")));
    StarterFlow.keycloak(r);
  }

  @AfterAll
  static void stop() throws Exception {
    for (RedisProcess n : nodes) {
      n.close();
    }
  }

  @LocalServerPort
  int port;

  @Autowired
  SecretVault vault;

  @Autowired
  org.springframework.context.ConfigurableApplicationContext context;

  @Test
  void signedInPeopleShareAndAnyoneOpensOnceOnTheApplicationsCluster() throws Exception {
    assertInstanceOf(RedisSecretVault.class, vault);
    StarterFlow.partsPresent(context);
    String id = StarterFlow.run(port);
    boolean found = false;
    for (RedisProcess n : nodes) {
      found |= n.command("EXISTS ots:{" + id + "}:r").trim().endsWith("1");
    }
    assertTrue(found, "the trace is on the node that owns its slot");
  }
}
