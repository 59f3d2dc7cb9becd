package io.onetimeshare.redis;

import io.onetimeshare.spi.TokenStore;
import io.onetimeshare.testing.TokenStoreContract;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The token store contract on a real 3-master Redis Cluster; the peer connects through another seed node. */
class RedisClusterTokenStoreTest extends TokenStoreContract {
  static TestCluster cluster;
  private final Map<TokenStore, String> prefixes = new IdentityHashMap<>();

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = new TestCluster();
  }

  @AfterAll
  static void stopCluster() throws Exception {
    cluster.close();
  }

  @Override
  protected TokenStore createStore() {
    String prefix = "t" + UUID.randomUUID().toString().substring(0, 8);
    TokenStore s = RedisTokenStore.create(cluster.store, prefix);
    prefixes.put(s, prefix);
    return s;
  }

  @Override
  protected TokenStore peer(TokenStore first) {
    return RedisTokenStore.create(cluster.peerStore, prefixes.get(first));
  }
}
