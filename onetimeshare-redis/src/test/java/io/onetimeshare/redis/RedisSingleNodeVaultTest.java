package io.onetimeshare.redis;

import io.onetimeshare.SecretVault;
import io.onetimeshare.testing.MutableClock;
import io.onetimeshare.testing.SecretVaultContract;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The core vault contract, unchanged, on a real single Redis node; the peer is a second client ("instance"). */
class RedisSingleNodeVaultTest extends SecretVaultContract {
  static RedisProcess redis;
  static RedisStore store;
  static RedisStore peerStore;
  private String prefix;

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisProcess.start("--appendonly", "no");
    store = RedisStore.connect(redis.uri());
    peerStore = RedisStore.connect(redis.uri());
  }

  @AfterAll
  static void stopRedis() throws Exception {
    peerStore.close();
    store.close();
    redis.close();
  }

  @Override
  protected SecretVault createVault(MutableClock clock) {
    prefix = "t" + UUID.randomUUID().toString().substring(0, 8);
    return RedisSecretVault.builder(store).prefix(prefix).clock(clock).build();
  }

  @Override
  protected SecretVault createPeer(MutableClock clock) {
    return RedisSecretVault.builder(peerStore).prefix(prefix).clock(clock).build();
  }
}
