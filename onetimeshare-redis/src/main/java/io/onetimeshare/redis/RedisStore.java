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
  /** Lanes (a thread and a connection each) per primary for changes that wait for replicas, committed in groups. */
  static final int ACK_CONNECTIONS = 4;

  private final ClientResources resources;
  private final AutoCloseable client;
  private final AutoCloseable connection;
  private final RedisApi api;
  private final boolean cluster;
  private final ClaimSignals signals;
  private final boolean ownsClient;
  final List<AutoCloseable> parts = new ArrayList<>();
  String topologyName = "single node";
  private Acknowledged.@Nullable Topology topology;
  private int replicasPresent;

  RedisStore(ClientResources resources, AutoCloseable client, AutoCloseable connection, RedisApi api,
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
    return using(client, timeout, defaultAck(timeout));
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
        store.topologyName = "Cluster";
        store.install(Topologies.cluster(cc, c, nodes, null, timeout, store.api), ReplicaCount.ofCluster(c, timeout),
            ack, timeout, "the Cluster");
        return store;
      }
      RedisClient rc = (RedisClient) client;
      StatefulRedisConnection<byte[], byte[]> c = rc.connect(ByteArrayCodec.INSTANCE);
      store = new RedisStore(rc.getResources(), () -> { }, c, new RedisApi(c.async(), timeout), false,
          () -> rc.connectPubSub(ByteArrayCodec.INSTANCE), false);
      store.install(Topologies.primary(() -> rc.connect(ByteArrayCodec.INSTANCE), "the application's Redis"),
          ReplicaCount.ofPrimary(store.api), ack, timeout, "the application's Redis");
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
    return connect(uri, timeout, defaultAck(timeout));
  }

  /**
   * As {@link #connect(String, Duration)}, waiting for replicas as {@code ack} says; refuses (with {@link
   * io.onetimeshare.InvalidArgumentException}) a policy the topology cannot meet.
   *
   * @since 0.3
   */
  public static RedisStore connect(String uri, Duration timeout, ReplicaAck ack) {
    return connect(uri, timeout, ack, null);
  }

  /**
   * As {@link #connect(String, Duration, ReplicaAck)}, with the password of the Sentinels themselves (a {@code
   * redis-sentinel://} URI's own password is the data nodes').
   *
   * @since 0.3
   */
  public static RedisStore connect(String uri, Duration timeout, ReplicaAck ack, char @Nullable [] sentinelPassword) {
    checkTimeouts(timeout, ack);
    RedisURI u = parse(uri);
    u.setTimeout(timeout);
    ClientResources res = Topologies.resources();
    RedisClient client = RedisClient.create(res);
    client.setOptions(Topologies.clientOptions(timeout));
    if (!u.getSentinels().isEmpty()) {
      return Topologies.sentinel(u, res, client, timeout, ack, sentinelPassword);
    }
    RedisStore store = null;
    try {
      StatefulRedisConnection<byte[], byte[]> c = client.connect(ByteArrayCodec.INSTANCE, u);
      store = new RedisStore(res, client::shutdown, c, new RedisApi(c.async(), timeout), false,
          () -> client.connectPubSub(ByteArrayCodec.INSTANCE, u));
      String address = u.getHost() + ":" + u.getPort();
      store.install(Topologies.primary(() -> client.connect(ByteArrayCodec.INSTANCE, u), address),
          ReplicaCount.ofPrimary(store.api), ack, timeout, address);
      return store;
    } catch (RuntimeException e) {
      throw notConnected(store, () -> {
        client.shutdown();
        var unused = res.shutdown();
      }, e, false, "Cannot connect to Redis at " + u.getHost() + ":" + u.getPort() + ".");
    }
  }

  /** Connects to a Redis Cluster through one or more seed nodes ({@code redis://host:port} each). */
  public static RedisStore connectCluster(List<String> seeds, Duration timeout) {
    return connectCluster(seeds, timeout, defaultAck(timeout));
  }

  /** As {@link #connectCluster(List, Duration)}, waiting for replicas as {@code ack} says. @since 0.3 */
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
    ClientResources res = Topologies.resources();
    RedisClusterClient client = RedisClusterClient.create(res, uris);
    client.setOptions(ClusterClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(timeout))
        .socketOptions(Topologies.socketOptions(timeout))
        .topologyRefreshOptions(Topologies.refresh())
        .build());
    RedisClient nodes = RedisClient.create(res);
    nodes.setOptions(Topologies.clientOptions(timeout));
    RedisStore store = null;
    try {
      StatefulRedisClusterConnection<byte[], byte[]> c = client.connect(ByteArrayCodec.INSTANCE);
      store = new RedisStore(res, client::shutdown, c, new RedisApi(c.async(), timeout), true,
          () -> client.connectPubSub(ByteArrayCodec.INSTANCE)); // a Cluster forwards PUBLISH to every node
      store.parts.add(nodes::shutdown);
      store.topologyName = "Cluster";
      store.install(Topologies.cluster(client, c, nodes, uris.get(0), timeout, store.api),
          ReplicaCount.ofCluster(c, timeout), ack, timeout, "the Cluster");
      return store;
    } catch (RuntimeException e) {
      throw notConnected(store, () -> {
        nodes.shutdown();
        client.shutdown();
        var unused = res.shutdown();
      }, e, false, "Cannot connect to the Redis Cluster.");
    }
  }

  /**
   * A connect that failed: the store closed if it was made (it owns what was opened), else {@code release} frees the
   * clients; a refused setting ({@link InvalidArgumentException}) is thrown as it is, and so is a store-unavailable
   * failure when {@code passUnavailable}; anything else becomes "unavailable" with {@code message}.
   */
  static RuntimeException notConnected(@Nullable RedisStore store, Runnable release, RuntimeException e,
      boolean passUnavailable, String message) {
    if (store != null) {
      store.close();
    } else {
      release.run();
    }
    if (e instanceof InvalidArgumentException || (passUnavailable && e instanceof StoreUnavailableException)) {
      return e;
    }
    return new StoreUnavailableException(message, e);
  }

  void install(Acknowledged.Topology topology, int present, ReplicaAck ack, Duration timeout, String where) {
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

  /** {@link ReplicaAck#auto()}, waiting at most half the store's timeout (and at most its default 1 s). */
  static ReplicaAck defaultAck(Duration timeout) {
    Duration half = timeout.dividedBy(2);
    Duration t = half.compareTo(ReplicaAck.DEFAULT_TIMEOUT) < 0 ? half : ReplicaAck.DEFAULT_TIMEOUT;
    return ReplicaAck.auto().withTimeout(t.toMillis() < 10 ? Duration.ofMillis(10) : t);
  }

  static void checkTimeouts(Duration timeout, ReplicaAck ack) {
    if (ack.mode() != ReplicaAck.Mode.NONE && ack.timeout().compareTo(timeout) >= 0) {
      throw new InvalidArgumentException("The replica timeout (" + ack.timeout().toMillis() + " ms) must be shorter "
          + "than the Redis timeout (" + timeout.toMillis() + " ms), so a shortfall is answered, not timed out.");
    }
  }

  static RedisURI parse(String uri) {
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

  /** How many replicas each change waits for (0: none), as decided when the store connected. @since 0.3 */
  public int replicasRequired() {
    return api.replicasRequired();
  }

  /** A line for logs: the topology and what a change waits for. @since 0.3 */
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
