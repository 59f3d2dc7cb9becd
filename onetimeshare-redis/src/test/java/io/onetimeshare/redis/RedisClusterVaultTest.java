package io.onetimeshare.redis;

import io.onetimeshare.spi.SecretVault;
import io.onetimeshare.testing.MutableClock;
import io.onetimeshare.testing.SecretVaultContract;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The core vault contract, unchanged, on a real 3-master Redis Cluster built with redis-cli --cluster create; small
 * chunks so large bodies spread over many chunk keys (all in the secret's slot thanks to the hash tag).
 */
class RedisClusterVaultTest extends SecretVaultContract {
  static TestCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = new TestCluster();
  }

  @AfterAll
  static void stopCluster() throws Exception {
    cluster.close();
  }

  private String prefix;

  @Override
  protected SecretVault createVault(MutableClock clock) {
    prefix = "c" + UUID.randomUUID().toString().substring(0, 8);
    return RedisSecretVault.builder(cluster.store).prefix(prefix).clock(clock).chunkSize(64 * 1024).inlineLimit(1024).build();
  }

  @Override
  protected SecretVault createPeer(MutableClock clock) {
    return RedisSecretVault.builder(cluster.peerStore).prefix(prefix).clock(clock).chunkSize(64 * 1024).inlineLimit(1024)
        .build();
  }
}
