package io.onetimeshare.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.onetimeshare.StoreUnavailableException;
import io.onetimeshare.redis.internal.Acknowledged;
import io.onetimeshare.redis.internal.RedisApi;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Where each change's primary is, per topology (issue 35): a single node at a fixed address, the primary Sentinels
 * name (followed as they change it), a Cluster's slot owners (refreshed every second and on trouble); and how the
 * Lettuce clients under a {@link RedisStore} are set up.
 */
final class Topologies {
  private Topologies() {}

  /** A single primary at a fixed address: its replicas are counted once, here. */
  static Acknowledged.Topology primary(Supplier<StatefulRedisConnection<byte[], byte[]>> connect, String address) {
    return new Acknowledged.Topology() {
      @Override
      public Acknowledged.Node primaryFor(byte[] key) {
        return new Acknowledged.Node(address, connect);
      }

      @Override
      public boolean stillPrimary(Acknowledged.Node node, byte[] key) {
        return true;
      }

      @Override
      public void suspect() {
      }
    };
  }

  /** A Cluster: each key's primary from the slot map Lettuce keeps (refreshed every second and on trouble). */
  static Acknowledged.Topology cluster(RedisClusterClient client, StatefulRedisClusterConnection<byte[], byte[]> c,
      RedisClient nodes, @Nullable RedisURI seed, Duration timeout, RedisApi api) {
    java.util.concurrent.atomic.AtomicLong lastRefresh = new java.util.concurrent.atomic.AtomicLong(System.nanoTime());
    Runnable refresh = () -> {
      long now = System.nanoTime();
      long last = lastRefresh.get();
      if (now - last > 250_000_000L && lastRefresh.compareAndSet(last, now)) {
        var unused = client.refreshPartitionsAsync();
      }
    };
    api.onSuspectTopology(refresh);
    return new Acknowledged.Topology() {
      @Override
      public Acknowledged.Node primaryFor(byte[] key) {
        io.lettuce.core.cluster.models.partitions.RedisClusterNode m =
            c.getPartitions().getMasterBySlot(io.lettuce.core.cluster.SlotHash.getSlot(key));
        if (m == null || m.getUri() == null) {
          refresh.run();
          throw new StoreUnavailableException("No Cluster node serves this key's slot now.");
        }
        String host = m.getUri().getHost();
        int port = m.getUri().getPort();
        return new Acknowledged.Node(host + ":" + port, () -> {
          RedisURI u = seed == null ? RedisURI.create(host, port)
              : RedisURI.builder(seed).withHost(host).withPort(port).build();
          u.setTimeout(timeout);
          return nodes.connect(ByteArrayCodec.INSTANCE, u);
        });
      }

      @Override
      public boolean stillPrimary(Acknowledged.Node node, byte[] key) {
        var m = c.getPartitions().getMasterBySlot(io.lettuce.core.cluster.SlotHash.getSlot(key));
        return m != null && m.getUri() != null && node.address().equals(m.getUri().getHost() + ":"
            + m.getUri().getPort());
      }

      @Override
      public void suspect() {
        refresh.run();
      }
    };
  }

  static RedisStore sentinel(RedisURI u, ClientResources res, RedisClient client, Duration timeout,
      ReplicaAck ack, char @Nullable [] sentinelPassword) {
    String name = u.getSentinelMasterId();
    if (name == null || name.isBlank()) {
      client.shutdown();
      var unused = res.shutdown();
      throw new io.onetimeshare.InvalidArgumentException("A redis-sentinel:// URI names its primary after '#', as in "
          + "redis-sentinel://sentinel1:26379,sentinel2:26379#mymaster.");
    }
    List<RedisURI> sentinels = new ArrayList<>();
    for (RedisURI s : u.getSentinels()) {
      RedisURI.Builder copy = RedisURI.builder(s).withTimeout(timeout);
      if (sentinelPassword != null) {
        copy.withPassword(sentinelPassword);
      }
      sentinels.add(copy.build());
    }
    SentinelWatch watch = new SentinelWatch(client, sentinels, name, RedisStore.SENTINEL_POLL);
    RedisStore store = null;
    try {
      SentinelWatch.Named first = watch.start(timeout.multipliedBy(3));
      java.util.function.Function<SentinelWatch.Named, RedisURI> dataUri = n -> {
        RedisURI d = RedisURI.builder(u).withHost(n.host()).withPort(n.port()).withTimeout(timeout).build();
        d.setDatabase(u.getDatabase());
        return d;
      };
      StatefulRedisConnection<byte[], byte[]> firstConnection = client.connect(ByteArrayCodec.INSTANCE,
          dataUri.apply(first));
      java.util.concurrent.atomic.AtomicReference<StatefulRedisConnection<byte[], byte[]>> shared =
          new java.util.concurrent.atomic.AtomicReference<>(firstConnection);
      java.util.concurrent.atomic.AtomicReference<SentinelWatch.Named> at = new java.util.concurrent.atomic.AtomicReference<>(first);
      RedisApi api = new RedisApi(firstConnection.async(), timeout);
      store = new RedisStore(res, client::shutdown, () -> java.util.Objects.requireNonNull(shared.get()).close(), api,
          false,
          () -> client.connectPubSub(ByteArrayCodec.INSTANCE, dataUri.apply(at.get())));
      store.parts.add(watch);
      store.topologyName = "Sentinel primary '" + name + "'";
      // the Sentinels named another primary: every command goes there from now on, the old connection is closed
      watch.onChange(n -> {
        at.set(n);
        try {
          StatefulRedisConnection<byte[], byte[]> next = client.connect(ByteArrayCodec.INSTANCE, dataUri.apply(n));
          api.switchTo(next.async());
          StatefulRedisConnection<byte[], byte[]> old = shared.getAndSet(next);
          if (old != null) {
            var unused = old.closeAsync();
          }
        } catch (RuntimeException e) {
          // not reachable yet: the next poll that sees the name tries again
          watch.pollSoon();
        }
      });
      RedisStore s = store;
      Acknowledged.Topology topology = new Acknowledged.Topology() {
        @Override
        public Acknowledged.Node primaryFor(byte[] key) {
          SentinelWatch.Named n = watch.current();
          if (n == null) {
            throw new StoreUnavailableException("No Sentinel answered within " + SentinelWatch.STALE.toSeconds()
                + " s, so no primary can be trusted.");
          }
          return new Acknowledged.Node(n.address(), () -> client.connect(ByteArrayCodec.INSTANCE, dataUri.apply(n)));
        }

        @Override
        public boolean stillPrimary(Acknowledged.Node node, byte[] key) {
          SentinelWatch.Named n = watch.current();
          return n != null && n.address().equals(node.address());
        }

        @Override
        public void suspect() {
          watch.pollSoon();
        }
      };
      int present = Math.max(ReplicaCount.ofPrimary(api), first.replicas());
      s.install(topology, present, ack, timeout, first.address());
      return store;
    } catch (RuntimeException e) {
      throw RedisStore.notConnected(store, () -> {
        watch.close();
        client.shutdown();
        var unused = res.shutdown();
      }, e, true, "Cannot connect to the primary the Sentinels name for '" + name + "'.");
    }
  }

  static ClientOptions clientOptions(Duration timeout) {
    return ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(timeout))
        .socketOptions(socketOptions(timeout))
        .build();
  }

  /** A connection attempt to a node that drops packets gives up within the timeout, not Lettuce's 10 s. */
  static io.lettuce.core.SocketOptions socketOptions(Duration timeout) {
    return io.lettuce.core.SocketOptions.builder().connectTimeout(timeout).build();
  }

  /** Reconnect attempts back off from 10 ms to at most 1 s (Lettuce's default waits up to 30 s), so service resumes
   *  within about a second of Redis coming back. */
  static ClientResources resources() {
    return DefaultClientResources.builder()
        .reconnectDelay(Delay.exponential(Duration.ofMillis(10), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
        .build();
  }

  /**
   * Refresh the topology every second and on every adaptive trigger (MOVED, ASK, reconnects...): a connected node
   * answering CLUSTERDOWN triggers none of them, so the periodic refresh and the store's own calls on CLUSTERDOWN,
   * READONLY and timeouts are what follow a promotion during a partition (issue 35). Lettuce 7 deprecates the trigger
   * methods without a replacement yet; they still work.
   */
  @SuppressWarnings("deprecation")
  static ClusterTopologyRefreshOptions refresh() {
    return ClusterTopologyRefreshOptions.builder().enableAllAdaptiveRefreshTriggers()
        .enablePeriodicRefresh(RedisStore.CLUSTER_REFRESH).adaptiveRefreshTriggersTimeout(Duration.ofMillis(250)).build();
  }

}
