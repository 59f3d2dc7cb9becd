package io.onetimeshare.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.onetimeshare.InvalidArgumentException;
import io.onetimeshare.StoreUnavailableException;
import io.onetimeshare.redis.internal.Acknowledged;
import io.onetimeshare.redis.internal.RedisApi;
import org.jspecify.annotations.Nullable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One shared Lettuce client and connection to Redis, used by every {@link RedisSecretVault} and {@link
 * RedisRateLimiter} built on it: a single node ({@code redis://}, {@code rediss://} for TLS), a primary with replicas
 * watched by Sentinels ({@code redis-sentinel://host:26379,host2:26379/0#mymaster}) or a Cluster (seed URIs).
 * Commands fail within the timeout (default 2 s) with a store-unavailable error when Redis is down, and work again
 * on their own when it comes back.
 *
 * <p>Where the primary has replicas, every change a person relies on waits for them ({@link ReplicaAck}, issue 35):
 * the script and {@code WAIT} leave in one flush, and a shortfall is refused, never acknowledged. A Cluster's
 * topology is refreshed every second and at once on CLUSTERDOWN, MOVED, READONLY or a timeout, so a server that still
 * reaches an isolated primary moves to the promoted replica within the node timeout and a few seconds; with Sentinels
 * the store follows the primary they name (highest configuration epoch) and believes no acknowledgement from another.
 * Thread-safe; close it last.
 *
 * @since 0.1
 */
public final class RedisStore implements AutoCloseable {
  /** Default timeout of every Redis call. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
  /** How often a Cluster's topology is refreshed even when nothing suggests it moved. */
  static final Duration CLUSTER_REFRESH = Duration.ofSeconds(1);
  /** How often the Sentinels are asked which primary they name. */
  static final Duration SENTINEL_POLL = Duration.ofMillis(250);
  /** Exclusive connections per primary for changes that wait for replicas. */
  static final int ACK_CONNECTIONS = 16;

  private final ClientResources resources;
  private final AutoCloseable client;
  private final AutoCloseable connection;
  private final RedisApi api;
  private final boolean cluster;
  private final ClaimSignals signals;
  private final boolean ownsClient;
  private final List<AutoCloseable> parts = new ArrayList<>();
  private String topologyName = "single node";
  private Acknowledged.@Nullable Topology topology;
  private int replicasPresent;

  private RedisStore(ClientResources resources, AutoCloseable client, AutoCloseable connection, RedisApi api,
      boolean cluster, Supplier<StatefulRedisPubSubConnection<byte[], byte[]>> pubSub) {
    this(resources, client, connection, api, cluster, pubSub, true);
  }

  private RedisStore(ClientResources resources, AutoCloseable client, AutoCloseable connection, RedisApi api,
      boolean cluster, Supplier<StatefulRedisPubSubConnection<byte[], byte[]>> pubSub, boolean ownsClient) {
    this.ownsClient = ownsClient;
    this.resources = resources;
    this.client = client;
    this.connection = connection;
    this.api = api;
    this.cluster = cluster;
    this.signals = new ClaimSignals(pubSub); // connects on the first contended claim only
  }

  /**
   * A store on a Lettuce client the host application already has (Spring Data Redis's, for one): one connection of
   * our own (and a pub/sub one on the first contended claim) on the client's event loops and resources, so no second
   * pool and no second set of threads. Closing the store closes only its own connections; the client, its options
   * (reconnects, TLS, credentials) and its resources stay the host's. Changes wait for replicas as {@link
   * ReplicaAck#auto()} decides.
   *
   * @since 0.3
   */
  public static RedisStore using(io.lettuce.core.AbstractRedisClient client, Duration timeout) {
    return using(client, timeout, ReplicaAck.auto());
  }

  /** As {@link #using(io.lettuce.core.AbstractRedisClient, Duration)}, waiting for replicas as {@code ack} says. */
  public static RedisStore using(io.lettuce.core.AbstractRedisClient client, Duration timeout, ReplicaAck ack) {
    java.util.Objects.requireNonNull(client, "client");
    checkTimeouts(timeout, ack);
    RedisStore store;
    try {
      if (client instanceof RedisClusterClient cc) {
        StatefulRedisClusterConnection<byte[], byte[]> c = cc.connect(ByteArrayCodec.INSTANCE);
        store = new RedisStore(cc.getResources(), () -> { }, c, new RedisApi(c.async(), timeout), true,
            () -> cc.connectPubSub(ByteArrayCodec.INSTANCE), false);
        RedisClient nodes = RedisClient.create(cc.getResources());
        store.parts.add(nodes::shutdown);
        store.acknowledgeOnCluster(cc, c, nodes, null, ack, timeout);
        return store;
      }
      RedisClient rc = (RedisClient) client;
      StatefulRedisConnection<byte[], byte[]> c = rc.connect(ByteArrayCodec.INSTANCE);
      store = new RedisStore(rc.getResources(), () -> { }, c, new RedisApi(c.async(), timeout), false,
          () -> rc.connectPubSub(ByteArrayCodec.INSTANCE), false);
      store.acknowledgeOnPrimary(() -> rc.connect(ByteArrayCodec.INSTANCE), "the application's Redis", ack, timeout);
      return store;
    } catch (io.onetimeshare.InvalidArgumentException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new StoreUnavailableException("Cannot connect to Redis through the application's client.", e);
    }
  }

  /**
   * Connects to one Redis node ({@code redis://[:password@]host:port[/db]}, {@code rediss://} for TLS) or, with
   * {@code redis-sentinel://[:password@]s1:26379[,s2:26379...][/db]#primaryName}, to the primary the Sentinels name.
   */
  public static RedisStore connect(String uri) {
    return connect(uri, DEFAULT_TIMEOUT);
  }

  public static RedisStore connect(String uri, Duration timeout) {
    return connect(uri, timeout, ReplicaAck.auto());
  }

  /**
   * As {@link #connect(String, Duration)}, waiting for replicas as {@code ack} says; refuses (with {@link
   * io.onetimeshare.InvalidArgumentException}) a policy the topology cannot meet.
   *
   * @since 0.4
   */
  public static RedisStore connect(String uri, Duration timeout, ReplicaAck ack) {
    return connect(uri, timeout, ack, null);
  }

  /**
   * As {@link #connect(String, Duration, ReplicaAck)}, with the password of the Sentinels themselves (a {@code
   * redis-sentinel://} URI's own password is the data nodes').
   *
   * @since 0.4
   */
  public static RedisStore connect(String uri, Duration timeout, ReplicaAck ack, char @Nullable [] sentinelPassword) {
    checkTimeouts(timeout, ack);
    RedisURI u = parse(uri);
    u.setTimeout(timeout);
    ClientResources res = resources();
    RedisClient client = RedisClient.create(res);
    client.setOptions(clientOptions(timeout));
    if (!u.getSentinels().isEmpty()) {
      return connectSentinel(u, res, client, timeout, ack, sentinelPassword);
    }
    RedisStore store = null;
    try {
      StatefulRedisConnection<byte[], byte[]> c = client.connect(ByteArrayCodec.INSTANCE, u);
      store = new RedisStore(res, client::shutdown, c, new RedisApi(c.async(), timeout), false,
          () -> client.connectPubSub(ByteArrayCodec.INSTANCE, u));
      store.acknowledgeOnPrimary(() -> client.connect(ByteArrayCodec.INSTANCE, u), u.getHost() + ":" + u.getPort(),
          ack, timeout);
      return store;
    } catch (RuntimeException e) {
      if (store != null) {
        store.close();
      } else {
        client.shutdown();
        var unused = res.shutdown();
      }
      if (e instanceof io.onetimeshare.InvalidArgumentException) {
        throw e;
      }
      throw new StoreUnavailableException("Cannot connect to Redis at " + u.getHost() + ":" + u.getPort() + ".", e);
    }
  }

  private static RedisStore connectSentinel(RedisURI u, ClientResources res, RedisClient client, Duration timeout,
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
    SentinelWatch watch = new SentinelWatch(client, sentinels, name, SENTINEL_POLL);
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
      int present = Math.max(replicasOf(api), first.replicas());
      s.install(topology, present, ack, timeout, first.address());
      return store;
    } catch (RuntimeException e) {
      if (store != null) {
        store.close();
      } else {
        watch.close();
        client.shutdown();
        var unused = res.shutdown();
      }
      if (e instanceof io.onetimeshare.InvalidArgumentException || e instanceof StoreUnavailableException) {
        throw e;
      }
      throw new StoreUnavailableException("Cannot connect to the primary the Sentinels name for '" + name + "'.", e);
    }
  }

  /** Connects to a Redis Cluster through one or more seed nodes ({@code redis://host:port} each). */
  public static RedisStore connectCluster(List<String> seeds, Duration timeout) {
    return connectCluster(seeds, timeout, ReplicaAck.auto());
  }

  /** As {@link #connectCluster(List, Duration)}, waiting for replicas as {@code ack} says. @since 0.4 */
  public static RedisStore connectCluster(List<String> seeds, Duration timeout, ReplicaAck ack) {
    if (seeds.isEmpty()) {
      throw new InvalidArgumentException("A Redis Cluster needs at least one seed URI.");
    }
    checkTimeouts(timeout, ack);
    List<RedisURI> uris = new ArrayList<>();
    for (String s : seeds) {
      RedisURI u = parse(s);
      u.setTimeout(timeout);
      uris.add(u);
    }
    ClientResources res = resources();
    RedisClusterClient client = RedisClusterClient.create(res, uris);
    client.setOptions(ClusterClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(timeout))
        .socketOptions(socketOptions(timeout))
        .topologyRefreshOptions(refresh())
        .build());
    RedisClient nodes = RedisClient.create(res);
    nodes.setOptions(clientOptions(timeout));
    RedisStore store = null;
    try {
      StatefulRedisClusterConnection<byte[], byte[]> c = client.connect(ByteArrayCodec.INSTANCE);
      store = new RedisStore(res, client::shutdown, c, new RedisApi(c.async(), timeout), true,
          () -> client.connectPubSub(ByteArrayCodec.INSTANCE)); // a Cluster forwards PUBLISH to every node
      store.parts.add(nodes::shutdown);
      store.acknowledgeOnCluster(client, c, nodes, uris.get(0), ack, timeout);
      return store;
    } catch (RuntimeException e) {
      if (store != null) {
        store.close();
      } else {
        nodes.shutdown();
        client.shutdown();
        var unused = res.shutdown();
      }
      if (e instanceof io.onetimeshare.InvalidArgumentException) {
        throw e;
      }
      throw new StoreUnavailableException("Cannot connect to the Redis Cluster.", e);
    }
  }

  /** A single primary at a fixed address: its replicas are counted once, here. */
  private void acknowledgeOnPrimary(Supplier<StatefulRedisConnection<byte[], byte[]>> connect, String address,
      ReplicaAck ack, Duration timeout) {
    Acknowledged.Topology topology = new Acknowledged.Topology() {
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
    install(topology, replicasOf(api), ack, timeout, address);
  }

  /** A Cluster: each key's primary from the slot map Lettuce keeps (refreshed every second and on trouble). */
  private void acknowledgeOnCluster(RedisClusterClient client, StatefulRedisClusterConnection<byte[], byte[]> c,
      RedisClient nodes, @Nullable RedisURI seed, ReplicaAck ack, Duration timeout) {
    topologyName = "Cluster";
    java.util.concurrent.atomic.AtomicLong lastRefresh = new java.util.concurrent.atomic.AtomicLong(System.nanoTime());
    Runnable refresh = () -> {
      long now = System.nanoTime();
      long last = lastRefresh.get();
      if (now - last > 250_000_000L && lastRefresh.compareAndSet(last, now)) {
        var unused = client.refreshPartitionsAsync();
      }
    };
    api.onSuspectTopology(refresh);
    Acknowledged.Topology topology = new Acknowledged.Topology() {
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
    install(topology, clusterReplicas(c, timeout), ack, timeout, "the Cluster");
  }

  private void install(Acknowledged.Topology topology, int present, ReplicaAck ack, Duration timeout, String where) {
    this.topology = topology;
    replicasPresent = present;
    int required = ack.required(present);
    if (required > present) {
      throw new InvalidArgumentException("Every change would wait for " + required + " replica(s), but " + where
          + " has " + present + " now (the fewest of any primary); nothing could be stored. Start the replicas, "
          + "or wait for fewer (--redis-replicas).");
    }
    if (required > 0) {
      Acknowledged a = new Acknowledged(topology, required, ack.timeout(), timeout, ACK_CONNECTIONS);
      parts.add(0, a);
      api.acknowledgeThrough(a);
    } else if (present > 0) {
      System.getLogger("io.onetimeshare.redis").log(System.Logger.Level.WARNING, "Redis at " + where + " has "
          + present + " replica(s) and changes do not wait for them (replicas: none): a failover can lose "
          + "acknowledged secrets and deliver opened ones twice.");
    }
  }

  /**
   * The replicas of the fewest-replicated primary that holds slots, as every node sees it. Right after a Cluster
   * forms, or a node rejoins, gossip may not yet show every replica on every node; a count taken from such a view
   * would wait for too few. So every node is asked, the largest count each primary has in any view is taken, and
   * while primaries disagree (some with replicas, some without) the question is asked again until the timeout; then
   * a Cluster whose primaries differ that way is refused: the ones without a replica could not keep the promise.
   */
  private static int clusterReplicas(StatefulRedisClusterConnection<byte[], byte[]> c, Duration timeout) {
    long deadline = System.nanoTime() + Math.max(timeout.toNanos() * 3, 3_000_000_000L);
    java.util.Map<String, Integer> perMaster = java.util.Map.of();
    while (true) {
      perMaster = new java.util.HashMap<>();
      for (var node : c.getPartitions()) {
        try {
          String view = c.getConnection(node.getNodeId()).sync().clusterNodes();
          for (var e : clusterReplicas(view).entrySet()) {
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
  static java.util.Map<String, Integer> clusterReplicas(String nodes) {
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
  private static int replicasOf(RedisApi api) {
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

  private static void checkTimeouts(Duration timeout, ReplicaAck ack) {
    if (ack.mode() != ReplicaAck.Mode.NONE && ack.timeout().compareTo(timeout) >= 0) {
      throw new InvalidArgumentException("The replica timeout (" + ack.timeout().toMillis() + " ms) must be shorter "
          + "than the Redis timeout (" + timeout.toMillis() + " ms), so a shortfall is answered, not timed out.");
    }
  }

  private static ClientOptions clientOptions(Duration timeout) {
    return ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(timeout))
        .socketOptions(socketOptions(timeout))
        .build();
  }

  /** A connection attempt to a node that drops packets gives up within the timeout, not Lettuce's 10 s. */
  private static io.lettuce.core.SocketOptions socketOptions(Duration timeout) {
    return io.lettuce.core.SocketOptions.builder().connectTimeout(timeout).build();
  }

  /** Reconnect attempts back off from 10 ms to at most 1 s (Lettuce's default waits up to 30 s), so service resumes
   *  within about a second of Redis coming back. */
  private static ClientResources resources() {
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
  private static ClusterTopologyRefreshOptions refresh() {
    return ClusterTopologyRefreshOptions.builder().enableAllAdaptiveRefreshTriggers()
        .enablePeriodicRefresh(CLUSTER_REFRESH).adaptiveRefreshTriggersTimeout(Duration.ofMillis(250)).build();
  }

  private static RedisURI parse(String uri) {
    Objects.requireNonNull(uri, "uri");
    try {
      return RedisURI.create(uri);
    } catch (RuntimeException e) {
      throw new InvalidArgumentException("A Redis URI looks like redis://host:6379, rediss://:password@host:6380/0 or "
          + "redis-sentinel://sentinel1:26379,sentinel2:26379#mymaster.");
    }
  }

  RedisApi api() {
    return api;
  }

  /** The primary this store sends {@code key}'s changes to now (host:port), for tests that time a failover. */
  String primaryAddress(byte[] key) {
    Acknowledged.Topology t = topology;
    return t == null ? "" : t.primaryFor(key).address();
  }

  ClaimSignals signals() {
    return signals;
  }

  /** The timeout of every Redis call. */
  public Duration timeout() {
    return api.timeout();
  }

  public boolean isCluster() {
    return cluster;
  }

  /** How many replicas each change waits for (0: none), as decided when the store connected. @since 0.4 */
  public int replicasRequired() {
    return api.replicasRequired();
  }

  /** A line for logs: the topology and what a change waits for. @since 0.4 */
  public String describe() {
    int r = api.replicasRequired();
    return topologyName + ", " + replicasPresent + " replica(s) per primary, each change waits for " + r
        + (r == 0 ? "" : " within the replica timeout");
  }

  @Override
  public void close() {
    try {
      signals.close();
      for (AutoCloseable p : parts) {
        try {
          p.close();
        } catch (Exception e) {
          // closing the rest anyway
        }
      }
      connection.close();
      client.close();
    } catch (Exception e) {
      // shutting down anyway
    } finally {
      if (ownsClient) {
        var unused = resources.shutdown();
      }
    }
  }
}
