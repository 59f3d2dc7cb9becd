package io.onetimeshare.redis;

import io.onetimeshare.spi.RateLimit;
import io.onetimeshare.spi.RateLimiter;
import io.onetimeshare.testing.RateLimiterContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The limiter contract on a real 3-master Redis Cluster; the peer connects through another seed node. */
class RedisClusterRateLimiterTest extends RateLimiterContract {
  static TestCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = new TestCluster();
  }

  @AfterAll
  static void stopCluster() throws Exception {
    cluster.close();
  }

  @Override
  protected RateLimiter createLimiter(RateLimit limit, String name) {
    return RedisRateLimiter.create(cluster.store, limit, "t", name);
  }

  @Override
  protected RateLimiter createPeer(RateLimiter first, RateLimit limit, String name) {
    return RedisRateLimiter.create(cluster.peerStore, limit, "t", name);
  }
}
