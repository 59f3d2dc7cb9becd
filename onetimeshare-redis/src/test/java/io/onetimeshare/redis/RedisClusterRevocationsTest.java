package io.onetimeshare.redis;

import io.onetimeshare.spi.Revocations;
import io.onetimeshare.testing.RevocationsContract;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The revocations contract on a real 3-master Redis Cluster; the peer connects through another seed node. */
class RedisClusterRevocationsTest extends RevocationsContract {
  static TestCluster cluster;
  private final Map<Revocations, String> prefixes = new IdentityHashMap<>();

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = new TestCluster();
  }

  @AfterAll
  static void stopCluster() throws Exception {
    cluster.close();
  }

  @Override
  protected Revocations create() {
    String prefix = "r" + UUID.randomUUID().toString().substring(0, 8);
    Revocations r = RedisRevocations.create(cluster.store, prefix);
    prefixes.put(r, prefix);
    return r;
  }

  @Override
  protected Revocations peer(Revocations first) {
    return RedisRevocations.create(cluster.peerStore, prefixes.get(first));
  }
}
