package io.onetimeshare.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real 3-master Redis Cluster (redis-cli --cluster create on free loopback ports) with two clients: one through
 * every seed, and a peer through a single other seed, standing in for a second instance.
 */
final class TestCluster implements AutoCloseable {
  final List<RedisProcess> nodes;
  final RedisStore store;
  final RedisStore peerStore;

  TestCluster() throws Exception {
    nodes = RedisProcess.startCluster();
    List<String> seeds = new ArrayList<>();
    for (RedisProcess n : nodes) {
      seeds.add(n.uri());
    }
    store = RedisStore.connectCluster(seeds, Duration.ofSeconds(2));
    peerStore = RedisStore.connectCluster(List.of(seeds.get(1)), Duration.ofSeconds(2));
  }

  @Override
  public void close() throws Exception {
    peerStore.close();
    store.close();
    for (RedisProcess n : nodes) {
      n.close();
    }
  }
}
