package io.onetimeshare.redis;

import io.onetimeshare.SecretVault;
import io.onetimeshare.testing.MutableClock;
import io.onetimeshare.testing.SecretVaultContract;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The core vault contract, unchanged, on a real 3-master Redis Cluster built with redis-cli --cluster create; small
 * chunks so large bodies spread over many chunk keys (all in the secret's slot thanks to the hash tag).
 */
class RedisClusterVaultTest extends SecretVaultContract {
  static List<RedisProcess> nodes;
  static RedisStore store;
  static RedisStore peerStore;
  private String prefix;

  @BeforeAll
  static void startCluster() throws Exception {
    nodes = RedisProcess.startCluster();
    List<String> seeds = new ArrayList<>();
    for (RedisProcess n : nodes) {
      seeds.add(n.uri());
    }
    store = RedisStore.connectCluster(seeds, Duration.ofSeconds(2));
    peerStore = RedisStore.connectCluster(List.of(seeds.get(1)), Duration.ofSeconds(2));
  }

  @AfterAll
  static void stopCluster() throws Exception {
    peerStore.close();
    store.close();
    for (RedisProcess n : nodes) {
      n.close();
    }
  }

  @Override
  protected SecretVault createVault(MutableClock clock) {
    prefix = "c" + UUID.randomUUID().toString().substring(0, 8);
    return RedisSecretVault.builder(store).prefix(prefix).clock(clock).chunkSize(64 * 1024).inlineLimit(1024).build();
  }

  @Override
  protected SecretVault createPeer(MutableClock clock) {
    return RedisSecretVault.builder(peerStore).prefix(prefix).clock(clock).chunkSize(64 * 1024).inlineLimit(1024)
        .build();
  }
}
