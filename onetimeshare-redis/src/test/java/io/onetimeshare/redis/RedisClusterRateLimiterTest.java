package io.onetimeshare.redis;

import io.onetimeshare.RateLimit;
import io.onetimeshare.RateLimiter;
import io.onetimeshare.testing.RateLimiterContract;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The limiter contract on a real 3-master Redis Cluster; the peer connects through another seed node. */
class RedisClusterRateLimiterTest extends RateLimiterContract {
  static List<RedisProcess> nodes;
  static RedisStore store;
  static RedisStore peerStore;

  @BeforeAll
  static void startCluster() throws Exception {
    nodes = RedisProcess.startCluster();
    List<String> seeds = new ArrayList<>();
    for (RedisProcess n : nodes) {
      seeds.add(n.uri());
    }
    store = RedisStore.connectCluster(seeds, Duration.ofSeconds(2));
    peerStore = RedisStore.connectCluster(List.of(seeds.get(2)), Duration.ofSeconds(2));
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
  protected RateLimiter createLimiter(RateLimit limit, String name) {
    return RedisRateLimiter.create(store, limit, "t", name);
  }

  @Override
  protected RateLimiter createPeer(RateLimiter first, RateLimit limit, String name) {
    return RedisRateLimiter.create(peerStore, limit, "t", name);
  }
}
