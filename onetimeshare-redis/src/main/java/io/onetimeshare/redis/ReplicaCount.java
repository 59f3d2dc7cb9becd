package io.onetimeshare.redis;

import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.onetimeshare.InvalidArgumentException;
import io.onetimeshare.StoreUnavailableException;
import io.onetimeshare.redis.internal.RedisApi;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How many replicas the primaries have when the store connects (issue 35): what {@link ReplicaAck} turns into the
 * number every change waits for. Counted so that a store never waits for fewer than the deployment has.
 */
final class ReplicaCount {
  private ReplicaCount() {}

  /**
   * The replicas of the fewest-replicated primary that holds slots, as every node sees it. Right after a Cluster
   * forms, or a node rejoins, gossip may not yet show every replica on every node; a count taken from such a view
   * would wait for too few. So every node is asked, the largest count each primary has in any view is taken, and
   * while primaries disagree (some with replicas, some without) the question is asked again until the timeout; then
   * a Cluster whose primaries differ that way is refused: the ones without a replica could not keep the promise.
   */
  static int ofCluster(StatefulRedisClusterConnection<byte[], byte[]> c, Duration timeout) {
    long deadline = System.nanoTime() + Math.max(timeout.toNanos() * 3, 3_000_000_000L);
    java.util.Map<String, Integer> perMaster = java.util.Map.of();
    while (true) {
      perMaster = new java.util.HashMap<>();
      for (var node : c.getPartitions()) {
        try {
          String view = c.getConnection(node.getNodeId()).sync().clusterNodes();
          for (var e : perPrimary(view).entrySet()) {
            perMaster.merge(e.getKey(), e.getValue(), Math::max);
          }
        } catch (RuntimeException e) {
          // a node that does not answer now: the others' views decide
        }
      }
      int min = perMaster.values().stream().mapToInt(Integer::intValue).min().orElse(0);
      int max = perMaster.values().stream().mapToInt(Integer::intValue).max().orElse(0);
      if (perMaster.size() > 0 && (min > 0 || max == 0)) {
        return min;
      }
      if (System.nanoTime() > deadline) {
        if (perMaster.isEmpty()) {
          throw new StoreUnavailableException("No Cluster node described the Cluster.");
        }
        throw new InvalidArgumentException("Some Cluster primaries have replicas and some have none " + perMaster
            + "; a change on a primary without one could not wait for a replica. Give every primary a replica, or "
            + "accept losses on failover with --redis-replicas none.");
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StoreUnavailableException("Interrupted while reading the Cluster's topology.", e);
      }
    }
  }

  /** Primary id to its replica count (replicas not flagged failing), for every primary holding slots in a view. */
  static java.util.Map<String, Integer> perPrimary(String nodes) {
    java.util.Map<String, Integer> perMaster = new java.util.HashMap<>();
    List<String[]> rows = new ArrayList<>();
    for (String line : nodes.split("\n")) {
      String[] f = line.trim().split(" ");
      if (f.length >= 8) {
        rows.add(f);
        if (f[2].contains("master") && !f[2].contains("fail") && f.length > 8) {
          perMaster.put(f[0], 0);
        }
      }
    }
    for (String[] f : rows) {
      if (f[2].contains("slave") && !f[2].contains("fail") && perMaster.containsKey(f[3])) {
        perMaster.merge(f[3], 1, Integer::sum);
      }
    }
    return perMaster;
  }

  /**
   * A primary's replicas, from INFO replication: every connected replica, whether online or still taking its first
   * sync (the changes then wait until it is online), so a replica that is slow to start never makes the store wait
   * for fewer than the deployment has.
   */
  static int ofPrimary(RedisApi api) {
    String info = new String(api.call(c -> c.dispatch(io.lettuce.core.protocol.CommandType.INFO,
        new io.lettuce.core.output.ByteArrayOutput<>(ByteArrayCodec.INSTANCE),
        new io.lettuce.core.protocol.CommandArgs<>(ByteArrayCodec.INSTANCE).add("replication"))),
        java.nio.charset.StandardCharsets.UTF_8);
    int replicas = 0;
    for (String line : info.split("\\r?\\n")) {
      if (line.startsWith("role:") && !line.trim().equals("role:master")) {
        throw new InvalidArgumentException("The Redis node named is a replica, not a primary: point the store at the "
            + "primary, its Sentinels (redis-sentinel://) or the Cluster.");
      }
      if (line.matches("slave[0-9]+:.*")) {
        replicas++;
      }
    }
    return replicas;
  }

}
